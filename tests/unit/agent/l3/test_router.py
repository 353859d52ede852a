"""One router's namespace, devices, addresses, routes and nat rules, with the kernel, OVS and
iptables faked: what is plugged where, and that processing the same router again changes
nothing."""

import pytest

from netmgr.agent.l3 import router as router_mod
from tests.unit.agent.linux.test_iptables_manager import FakeExecutor

ROUTER_ID = 'r0000000-0000-0000-0000-000000000001'
NS = 'qrouter-' + ROUTER_ID


class FakeKernel:
    """Namespaces -> {device: [cidrs]}, and default routes."""

    def __init__(self):
        self.namespaces = {}
        self.routes = {}

    def install(self, monkeypatch):
        ip_lib = router_mod.ip_lib
        kernel = self
        monkeypatch.setattr(ip_lib, 'namespace_exists', lambda ns: ns in self.namespaces)
        monkeypatch.setattr(ip_lib, 'create_namespace',
                            lambda ns: self.namespaces.setdefault(ns, {'lo': []}))
        monkeypatch.setattr(ip_lib, 'delete_namespace', lambda ns: self.namespaces.pop(ns))
        monkeypatch.setattr(ip_lib, 'enable_ip_forwarding', lambda executor, ns: None)
        monkeypatch.setattr(ip_lib, 'list_devices', lambda ns: sorted(self.namespaces[ns]))
        monkeypatch.setattr(ip_lib, 'device_addresses',
                            lambda ns, family=None: {d: list(a) for d, a in
                                                     self.namespaces[ns].items()})
        monkeypatch.setattr(ip_lib, 'set_default_route',
                            lambda gw, device=None, namespace=None:
                            self.routes.__setitem__(namespace, (gw, device)))

        class Device:
            def __init__(self, name, namespace):
                self.addresses = kernel.namespaces[namespace][name]

            def add_address(self, cidr):
                self.addresses.append(cidr)

            def delete_address(self, cidr):
                self.addresses.remove(cidr)

        monkeypatch.setattr(ip_lib, 'IPDevice', Device)


class FakeDriver:
    integration_bridge = 'br-int'

    def __init__(self, kernel):
        self.kernel = kernel
        self.calls = []

    def plug(self, network_id, port_id, device_name, mac_address, namespace, bridge=None,
             mtu=None):
        self.calls.append(('plug', device_name, bridge))
        self.kernel.namespaces[namespace].setdefault(device_name, [])

    def unplug(self, device_name, namespace, bridge=None):
        self.calls.append(('unplug', device_name, bridge))
        self.kernel.namespaces[namespace].pop(device_name, None)

    def init_l3(self, device_name, cidrs, namespace):
        self.calls.append(('init_l3', device_name, tuple(cidrs)))
        self.kernel.namespaces[namespace][device_name] = list(cidrs)


def _port(port_id, network_id, subnet_id, cidr, address, gateway):
    return {'id': port_id, 'network_id': network_id, 'mac_address': 'fa:16:3e:00:00:01',
            'fixed_ips': [{'subnet_id': subnet_id, 'ip_address': address}],
            'subnets': [{'id': subnet_id, 'cidr': cidr, 'gateway_ip': gateway}]}


def router_dict(fips=(), interfaces=2):
    cidrs = ['10.0.0.0/24', '10.0.1.0/24'][:interfaces]
    return {
        'id': ROUTER_ID, 'admin_state_up': True, 'enable_snat': True,
        'gw_port': _port('gggggggg-gggg', 'ext', 'ext-sub', '172.24.4.0/24', '172.24.4.5',
                         '172.24.4.1'),
        '_interfaces': [_port('i%d%s' % (i, 'x' * 30), 'net%d' % i, 'sub%d' % i, cidr,
                              cidr.replace('0/24', '1'), cidr.replace('0/24', '1'))
                        for i, cidr in enumerate(cidrs)],
        '_floatingips': [{'id': 'fip-%s' % f, 'floating_ip_address': f,
                          'fixed_ip_address': fixed} for f, fixed in fips]}


@pytest.fixture
def lab(monkeypatch):
    kernel = FakeKernel()
    kernel.install(monkeypatch)
    driver = FakeDriver(kernel)
    executor = FakeExecutor('')
    return kernel, driver, executor


def restores(executor):
    return [c for c in executor.calls if c[0] == 'iptables-restore']


def test_first_processing_builds_the_router(lab):
    kernel, driver, executor = lab
    router = router_mod.Router(ROUTER_ID, driver, executor)
    statuses = router.process(router_dict(fips=[('172.24.4.10', '10.0.0.5')]))
    assert statuses == {'fip-172.24.4.10': 'ACTIVE'}
    devices = kernel.namespaces[NS]
    assert devices['qg-gggggggg-gg'] == ['172.24.4.5/24', '172.24.4.10/32']
    assert devices['qr-i0xxxxxxxxx'] == ['10.0.0.1/24']
    assert devices['qr-i1xxxxxxxxx'] == ['10.0.1.1/24']
    assert ('plug', 'qg-gggggggg-gg', None) in driver.calls      # on br-int by default
    assert kernel.routes[NS] == ('172.24.4.1', 'qg-gggggggg-gg')
    [(_cmd, namespace, text)] = restores(executor)
    assert namespace == NS
    assert '-A netmgr-l3-agen-snat -s 10.0.1.0/24 -j SNAT --to-source 172.24.4.5' in text
    assert '-A netmgr-l3-agen-PREROUTING -d 172.24.4.10/32 -j DNAT ' \
        '--to-destination 10.0.0.5' in text
    assert router.interfaces == 2 and router.floating_ips == {'172.24.4.10': '10.0.0.5'}


def test_processing_the_same_router_again_changes_nothing(lab):
    kernel, driver, executor = lab
    router = router_mod.Router(ROUTER_ID, driver, executor)
    router.process(router_dict(fips=[('172.24.4.10', '10.0.0.5')]))
    calls, restored = list(driver.calls), len(restores(executor))
    router.process(router_dict(fips=[('172.24.4.10', '10.0.0.5')]))
    assert driver.calls == calls and len(restores(executor)) == restored


def test_a_restarted_agent_keeps_floating_ips_and_rules(lab):
    kernel, driver, executor = lab
    router_mod.Router(ROUTER_ID, driver, executor).process(
        router_dict(fips=[('172.24.4.10', '10.0.0.5')]))
    rules = [line for line in executor.saved.splitlines() if line.startswith('-A')]
    again = router_mod.Router(ROUTER_ID, driver, executor)
    again.process(router_dict(fips=[('172.24.4.10', '10.0.0.5')]))
    # The gateway is plugged again (idempotent) with its floating IP kept.
    assert driver.calls[-1] == ('init_l3', 'qr-i1xxxxxxxxx', ('10.0.1.1/24',))
    assert ('init_l3', 'qg-gggggggg-gg', ('172.24.4.5/24', '172.24.4.10/32')) in \
        driver.calls[-6:]
    assert [line for line in executor.saved.splitlines() if line.startswith('-A')] == rules


def test_floating_ip_and_interface_removed(lab):
    kernel, driver, executor = lab
    router = router_mod.Router(ROUTER_ID, driver, executor)
    router.process(router_dict(fips=[('172.24.4.10', '10.0.0.5')]))
    router.process(router_dict(interfaces=1))
    assert kernel.namespaces[NS]['qg-gggggggg-gg'] == ['172.24.4.5/24']
    assert 'qr-i1xxxxxxxxx' not in kernel.namespaces[NS]
    assert ('unplug', 'qr-i1xxxxxxxxx', None) in driver.calls
    assert '172.24.4.10' not in executor.saved and '10.0.1.0/24' not in executor.saved
    # Its connections are forgotten after its rules went.
    conntrack = [c for c in executor.calls if c[0] == 'conntrack']
    assert len(conntrack) == 2 and executor.calls.index(conntrack[0]) > \
        executor.calls.index(restores(executor)[-1])
    assert router.fip_statuses == {}


def test_external_network_bridge_and_delete(lab):
    kernel, driver, executor = lab
    router = router_mod.Router(ROUTER_ID, driver, executor, external_bridge='br-ex')
    router.process(router_dict())
    assert ('plug', 'qg-gggggggg-gg', 'br-ex') in driver.calls
    assert ('plug', 'qr-i0xxxxxxxxx', None) in driver.calls
    router.delete()
    assert NS not in kernel.namespaces
    assert ('unplug', 'qg-gggggggg-gg', 'br-ex') in driver.calls
    assert ('unplug', 'qr-i0xxxxxxxxx', None) in driver.calls


class FakeOVSDB:
    def __init__(self, bridges):
        self.bridges = bridges          # interface -> bridge

    def interface_bridge(self, interface):
        return self.bridges.get(interface)


@pytest.mark.parametrize('host_devices, bridges, elsewhere', [
    # peers here, on br-int or the external bridge (or no longer in OVSDB): this agent's
    ({'or-i0xxxxxxxxx', 'og-gggggggg-gg'}, {'or-i0xxxxxxxxx': 'br-int',
                                            'og-gggggggg-gg': 'br-ex'}, False),
    ({'or-i0xxxxxxxxx', 'og-gggggggg-gg'}, {}, False),
    # a peer on another bridge: another L3 agent beside this one
    ({'or-i0xxxxxxxxx', 'og-gggggggg-gg'}, {'or-i0xxxxxxxxx': 'br-int2'}, True),
    # a peer not in this agent's namespace: another host's router
    ({'og-gggggggg-gg'}, {'og-gggggggg-gg': 'br-ex'}, True),
    (set(), {}, True),
])
def test_plugged_elsewhere(lab, monkeypatch, host_devices, bridges, elsewhere):
    kernel, driver, _executor = lab
    kernel.namespaces[NS] = {'lo': [], 'qr-i0xxxxxxxxx': [], 'qg-gggggggg-gg': []}
    monkeypatch.setattr(router_mod.ip_lib, 'device_exists',
                        lambda name, namespace=None: namespace is None and name in host_devices)
    driver.ovsdb = FakeOVSDB(bridges)
    assert router_mod.plugged_elsewhere(NS, driver, 'br-ex') is elsewhere


def test_an_empty_namespace_is_this_agents_only_when_said(lab):
    kernel, driver, _executor = lab
    kernel.namespaces[NS] = {'lo': []}
    assert router_mod.plugged_elsewhere(NS, driver) is False
    assert router_mod.plugged_elsewhere(NS, driver, empty_is_mine=False) is True
