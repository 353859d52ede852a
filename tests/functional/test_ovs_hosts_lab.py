"""The lab of hosts that each run their own Open vSwitch (tests/fixtures/ovs_hosts.py), proved
on its own: instances on two hosts talk over a VXLAN tunnel between the hosts' bridges and stop
when the underlay link goes down; restarting a host's ovs-vswitchd replaces that process only
(not the other host's, not the machine's own); cleanup leaves nothing with the prefix."""

import pathlib
import tempfile

import pytest

from netmgr.agent.linux import ip_lib
from tests.fixtures import netlab as netlab_fixture
from tests.fixtures import ovs_hosts as ovs_hosts_fixture
from tests.fixtures.agents import wait_for

pytestmark = pytest.mark.functional

VNI = 5001


def _tunnel_pair(lab):
    """Two hosts, one instance each on a secure bridge joined by a VXLAN port with
    key=flow, and flows that tag with VNI on the way out and accept only VNI on the way in.
    Returns (hosts, bridges, instances)."""
    hosts = lab.add_host(), lab.add_host()
    bridges, instances = [], []
    for number, (host, other) in enumerate(zip(hosts, reversed(hosts)), 1):
        bridge = host.add_bridge(lab.netlab.name('b'), fail_mode='secure')
        host.vsctl('add-port', bridge, 'vx', '--', 'set', 'Interface', 'vx', 'type=vxlan',
                   'options:remote_ip=%s' % other.local_ip,
                   'options:local_ip=%s' % host.local_ip, 'options:key=flow')
        instances.append(lab.plug_instance(host, bridge, 'port-%d' % number,
                                           'fa:16:3e:00:00:%02x' % number,
                                           '10.91.0.%d/24' % number))
        bridges.append(bridge)
    for host, bridge, instance in zip(hosts, bridges, instances):
        _tunnel_flows(host, bridge, instance.outer, VNI)
    return hosts, bridges, instances


def _tunnel_flows(host, bridge, vif, vni):
    host.ofctl('add-flow', bridge, 'in_port=%s,actions=set_tunnel:%d,output:vx' % (vif, vni))
    host.ofctl('add-flow', bridge, 'in_port=vx,tun_id=%d,actions=output:%s' % (vni, vif))


def test_instances_ping_across_a_vxlan_tunnel_and_not_without_the_underlay(ovs_hosts):
    (h1, h2), (br1, _br2), (vm1, vm2) = _tunnel_pair(ovs_hosts)
    ping, ping_within = ovs_hosts.netlab.ping, ovs_hosts.netlab.ping_within
    assert h1.local_ip != h2.local_ip
    assert ping_within(vm1.namespace, '10.91.0.2')
    assert ping_within(vm2.namespace, '10.91.0.1')
    assert h2.local_ip in h1.appctl('tnl/neigh/show')       # known from the start

    ovs_hosts.set_underlay(h1, up=False)
    assert not ping(vm1.namespace, '10.91.0.2')
    assert not ping(vm2.namespace, '10.91.0.1')
    ovs_hosts.set_underlay(h1, up=True)
    assert ping_within(vm1.namespace, '10.91.0.2', seconds=15)

    # the key travels: h2 accepts VNI only, so another one from h1 goes nowhere
    h1.ofctl('del-flows', br1, 'in_port=%s' % vm1.outer)
    _tunnel_flows(h1, br1, vm1.outer, VNI + 1)
    assert not ping(vm1.namespace, '10.91.0.2')

    # nothing of the lab is in the root namespace or on the machine's Open vSwitch
    assert [d for d in ip_lib.list_devices() if d.startswith(ovs_hosts.prefix)] == []
    assert [b for b in ovs_hosts.netlab.ovsdb.list_bridges()
            if b.startswith(ovs_hosts.prefix)] == []


def test_restart_vswitchd_replaces_only_that_hosts_vswitchd(ovs_hosts):
    netlab_fixture.require_ovs()
    machine_before = ovs_hosts_fixture.machine_vswitchd_pid()
    assert machine_before
    (h1, h2), (br1, _br2), (vm1, vm2) = _tunnel_pair(ovs_hosts)
    assert ovs_hosts.netlab.ping_within(vm1.namespace, '10.91.0.2')
    before, other_before = h1.vswitchd_pid(), h2.vswitchd_pid()

    after = h1.restart_vswitchd()

    assert after != before and h1.vswitchd_pid() == after
    assert not ovs_hosts_fixture.running(before)
    assert h2.vswitchd_pid() == other_before
    assert h2.local_ip in h1.appctl('tnl/neigh/show')       # set again after the restart
    assert ovs_hosts_fixture.machine_vswitchd_pid() == machine_before
    # OVSDB kept the bridge and its ports; the new ovs-vswitchd has none of the flows
    assert vm1.outer in h1.vsctl('list-ports', br1).split()
    assert 'set_tunnel' not in h1.ofctl('dump-flows', br1)
    assert not ovs_hosts.netlab.ping(vm1.namespace, '10.91.0.2')
    _tunnel_flows(h1, br1, vm1.outer, VNI)
    assert ovs_hosts.netlab.ping_within(vm1.namespace, '10.91.0.2', seconds=15)
    assert ovs_hosts_fixture.machine_vswitchd_pid() == machine_before


def _everything_with(prefix):
    return ([n for n in ip_lib.list_namespaces() if n.startswith(prefix)] +
            [d for d in ip_lib.list_devices() if d.startswith(prefix)] +
            ovs_hosts_fixture.processes_naming(prefix) +
            [p.name for p in pathlib.Path(tempfile.gettempdir()).glob(prefix + '*')])


def test_cleanup_leaves_nothing_with_the_prefix():
    with ovs_hosts_fixture.open_ovs_hosts() as lab:
        (h1, h2), _bridges, _instances = _tunnel_pair(lab)
        pids = [pid for host in (h1, h2) for pid in host.pids.values()]
        assert len(pids) == 4 and all(ovs_hosts_fixture.running(pid) for pid in pids)
        assert len(_everything_with(lab.prefix)) > 4
    assert not any(ovs_hosts_fixture.running(pid) for pid in pids)
    assert _everything_with(lab.prefix) == []


def test_cleanup_also_after_a_failure_and_a_restart():
    with pytest.raises(ZeroDivisionError):
        with ovs_hosts_fixture.open_ovs_hosts() as lab:
            host = lab.add_host()
            first = host.vswitchd_pid()
            host.restart_vswitchd()
            1 / 0
    wait_for(lambda: not ovs_hosts_fixture.running(first), message='first vswitchd gone')
    assert lab.leftovers() == []
    assert _everything_with(lab.prefix) == []
