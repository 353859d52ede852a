"""ip_lib and the netlab fixture on the real kernel: namespaces, veths, addresses, routes."""

import pytest

from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import ip_lib
from netmgr import exceptions
from tests.fixtures import netlab


@pytest.fixture
def lab():
    with netlab.open_lab() as lab:
        yield lab


def test_namespace_create_is_idempotent_and_delete_removes_it(lab):
    name = lab.namespace()
    assert ip_lib.namespace_exists(name)
    assert name in ip_lib.list_namespaces()
    ip_lib.create_namespace(name)
    assert ip_lib.IPDevice('lo', name).link()['up']
    ip_lib.delete_namespace(name)
    assert not ip_lib.namespace_exists(name)
    ip_lib.delete_namespace(name)       # if_exists by default
    with pytest.raises(exceptions.NetworkNamespaceNotFound):
        ip_lib.delete_namespace(name, if_exists=False)


def test_a_missing_namespace_is_an_error_not_created(lab):
    ghost = lab.name('n')
    with pytest.raises(exceptions.NetworkNamespaceNotFound):
        ip_lib.IPDevice('lo', ghost).set_up()
    assert not ip_lib.namespace_exists(ghost)
    assert not ip_lib.device_exists('lo', ghost)


def test_veth_into_a_namespace_and_link_settings(lab):
    ns = lab.namespace()
    veth = lab.veth_into(ns)
    assert ip_lib.device_exists(veth.outer)
    assert not ip_lib.device_exists(veth.inner)          # not in the host namespace
    assert veth.inner in ip_lib.list_devices(ns)
    inner = ip_lib.IPDevice(veth.inner, ns)
    inner.set_mtu(1400)
    inner.set_address('fa:16:3e:12:34:56')
    inner.set_down()
    link = inner.link()
    assert (link['mtu'], link['address'], link['up'], link['kind']) == (
        1400, 'fa:16:3e:12:34:56', False, 'veth')
    ethtool = lab.executor.execute(['ethtool', '-k', veth.inner], namespace=ns)
    assert 'tx-checksumming: off' in ethtool


def test_errors_are_typed(lab):
    ns = lab.namespace()
    veth = lab.veth_into(ns, address='10.71.0.2/24')
    with pytest.raises(exceptions.NetworkDeviceNotFound):
        ip_lib.IPDevice('nosuchdev', ns).set_up()
    with pytest.raises(exceptions.NetlinkOperationError):
        ip_lib.IPDevice(veth.inner, ns).add_address('10.71.0.2/24')   # already there
    with pytest.raises(exceptions.NetlinkOperationError):
        ip_lib.add_veth(veth.outer, lab.name('v') + 'x')               # name taken


def test_addresses_add_list_flush(lab):
    ns = lab.namespace()
    dev = ip_lib.IPDevice(lab.veth_into(ns).inner, ns)
    dev.add_address('10.72.0.2/24')
    dev.add_address('10.72.1.2/28')
    dev.add_address('fd72::2/64')
    assert dev.list_addresses(4) == ['10.72.0.2/24', '10.72.1.2/28']
    assert 'fd72::2/64' in dev.list_addresses(6)
    dev.delete_address('10.72.1.2/28')
    assert dev.list_addresses(4) == ['10.72.0.2/24']
    dev.flush_addresses(4)
    assert dev.list_addresses(4) == []
    assert dev.list_addresses(6)


def test_routes_and_default_gateway(lab):
    ns = lab.namespace()
    veth = lab.veth_into(ns, address='10.73.0.2/24')
    assert ip_lib.default_gateway(ns) is None
    ip_lib.set_default_route('10.73.0.1', namespace=ns)
    ip_lib.set_default_route('10.73.0.254', namespace=ns)        # replaces
    ip_lib.add_route('10.74.0.0/16', via='10.73.0.9', namespace=ns)
    routes = ip_lib.list_routes(ns)
    assert ip_lib.Route('0.0.0.0/0', '10.73.0.254', veth.inner, 254) in routes
    assert ip_lib.Route('10.74.0.0/16', '10.73.0.9', veth.inner, 254) in routes
    ip_lib.delete_route('10.74.0.0/16', via='10.73.0.9', namespace=ns)
    ip_lib.delete_route('10.74.0.0/16', via='10.73.0.9', namespace=ns)   # if_exists
    assert [r.cidr for r in ip_lib.list_routes(ns)] == ['0.0.0.0/0', '10.73.0.0/24']
    with pytest.raises(exceptions.NetlinkOperationError):
        ip_lib.delete_route('10.75.0.0/16', namespace=ns, if_exists=False)


def test_static_neighbour(lab):
    ns = lab.namespace()
    dev = ip_lib.IPDevice(lab.veth_into(ns, address='10.76.0.2/24').inner, ns)
    dev.add_neighbour('10.76.0.7', 'fa:16:3e:00:00:07')
    assert ip_lib.Neighbour('10.76.0.7', 'fa:16:3e:00:00:07', dev.name) in dev.list_neighbours()
    dev.delete_neighbour('10.76.0.7')
    assert '10.76.0.7' not in [n.ip_address for n in dev.list_neighbours()]


def test_ip_forwarding_is_per_namespace(lab):
    ns = lab.namespace()
    host_value = ip_lib.get_sysctl(lab.executor, 'net.ipv4.ip_forward')
    assert ip_lib.get_sysctl(lab.executor, 'net.ipv4.ip_forward', ns) == '0'
    ip_lib.enable_ip_forwarding(lab.executor, ns)
    assert ip_lib.get_sysctl(lab.executor, 'net.ipv4.ip_forward', ns) == '1'
    assert ip_lib.get_sysctl(lab.executor, 'net.ipv4.ip_forward') == host_value


def test_two_namespaces_on_a_veth_ping_each_other(lab):
    left, right = lab.namespace(), lab.namespace()
    base = lab.name('v')
    lab.veths.append((base + 'a', left))
    ip_lib.add_veth(base + 'a', base + 'b', namespace=left, peer_namespace=right)
    ip_lib.IPDevice(base + 'a', left).set_namespace(left)       # already there: a no-op move
    for ns, name, cidr in ((left, 'a', '10.77.0.1/24'), (right, 'b', '10.77.0.2/24')):
        dev = ip_lib.IPDevice(base + name, ns)
        dev.add_address(cidr)
        dev.set_up()
    assert lab.ping_within(left, '10.77.0.2')
    assert not lab.ping(left, '10.77.0.3')


def test_executor_runs_inside_the_namespace(lab):
    ns = lab.namespace()
    out = lab.executor.execute(['ip', '-o', 'link', 'show'], namespace=ns)
    assert [line.split(':')[1].strip() for line in out.splitlines()] == ['lo']
    with pytest.raises(exceptions.ProcessExecutionError) as raised:
        lab.executor.execute(['ip', 'link', 'show', 'nosuchdev'], namespace=ns)
    assert raised.value.exit_code == 1
    assert 'nosuchdev' in str(raised.value)


def test_executor_missing_program_is_a_typed_error():
    with pytest.raises(exceptions.ProcessExecutionError) as raised:
        agent_executor.Executor().execute(['netmgr-no-such-program-xyz'])
    assert raised.value.exit_code == 127


# ---- the lab cleans up after itself ------------------------------------------------------

def _populate(lab):
    ns = lab.namespace()
    bridge = lab.bridge()
    first = lab.veth_into(ns, bridge, address='10.78.0.2/24', tag=3)
    second = lab.veth_into(lab.namespace())
    # a netdev bridge is listed twice: in OVSDB and as its host tap device
    return {ns, second.namespace, bridge.name, first.outer, second.outer}


def test_lab_removes_exactly_what_it_made():
    with netlab.open_lab() as lab:
        made = _populate(lab)
        assert set(lab.leftovers()) == made
    assert lab.leftovers() == []
    assert not any(ip_lib.namespace_exists(n) for n in made)


def test_lab_cleans_up_when_the_test_fails():
    with pytest.raises(ZeroDivisionError):
        with netlab.open_lab() as lab:
            _populate(lab)
            1 / 0
    assert lab.leftovers() == []
