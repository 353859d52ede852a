"""The DHCP port of a network on this host: asked of the server, plugged from the network's
namespace, given its addresses; removed with the namespace."""

import pytest

from netmgr.agent.dhcp import cache as dhcp_cache
from netmgr.agent.dhcp import device as dhcp_device
from netmgr import devnames

HOST, NET = 'gw-1', 'net-1'
PORT = {'id': 'a1b2c3d4-2222-4a2b-8c3d-000000000002', 'mac_address': 'fa:16:3e:dd:00:02',
        'fixed_ips': [{'subnet_id': 's1', 'ip_address': '10.0.0.2'},
                      {'subnet_id': 's6', 'ip_address': 'fd00::2'},
                      {'subnet_id': 'gone', 'ip_address': '10.9.0.2'}]}
SUBNETS = {'s1': {'id': 's1', 'cidr': '10.0.0.0/24'}, 's6': {'id': 's6', 'cidr': 'fd00::/64'}}


class FakeServer:
    def __init__(self, port):
        self.port = port
        self.calls = []

    def get_dhcp_port(self, context, network_id, device_id):
        self.calls.append(('get', network_id, device_id))
        return self.port

    def release_dhcp_port(self, context, network_id, device_id):
        self.calls.append(('release', network_id, device_id))


class FakeDriver:
    integration_bridge = 'br-int'

    def __init__(self, namespaces):
        self.namespaces = namespaces        # {namespace: [veth names]}
        self.bridge_ports = []
        self.calls = []
        self.ovsdb = self

    def bridge(self, name):
        return self

    def port_names(self):
        return list(self.bridge_ports)

    def plug(self, network_id, port_id, name, mac, namespace, mtu=None):
        self.calls.append(('plug', network_id, port_id, name, mac, namespace, mtu))
        self.namespaces.setdefault(namespace, []).append(name)

    def init_l3(self, name, cidrs, namespace):
        self.calls.append(('init_l3', name, cidrs, namespace))

    def unplug(self, name, namespace):
        self.calls.append(('unplug', name, namespace))
        self.namespaces[namespace].remove(name)


@pytest.fixture
def namespaces(monkeypatch):
    namespaces = {}
    monkeypatch.setattr(dhcp_device.ip_lib, 'namespace_exists', lambda ns: ns in namespaces)
    monkeypatch.setattr(dhcp_device.ip_lib, 'list_links', lambda ns: [
        {'name': name, 'kind': 'veth'} for name in namespaces[ns]] + [
        {'name': 'lo', 'kind': None}])
    monkeypatch.setattr(dhcp_device.ip_lib, 'delete_namespace', namespaces.pop)
    return namespaces


def _model(mtu=1450):
    return dhcp_cache.NetModel({'id': NET, 'mtu': mtu, 'subnets': list(SUBNETS.values())})


def test_the_device_id_is_stable_per_host_and_network():
    assert dhcp_device.device_id(HOST, NET) == dhcp_device.device_id(HOST, NET)
    assert dhcp_device.device_id(HOST, NET).endswith('-' + NET)
    assert dhcp_device.device_id('gw-2', NET) != dhcp_device.device_id(HOST, NET)


def test_port_cidrs_on_the_given_subnets():
    assert dhcp_device.port_cidrs(PORT, SUBNETS) == ['10.0.0.2/24', 'fd00::2/64']


def test_setup_plugs_the_port_into_the_namespace_with_its_addresses(namespaces):
    server, driver = FakeServer(PORT), FakeDriver(namespaces)
    manager = dhcp_device.DeviceManager(HOST, server, 'ctx', driver)
    port, name = manager.setup(_model())
    namespace = devnames.dhcp_namespace(NET)
    assert (port, name) == (PORT, devnames.tap_name(PORT['id']))
    assert server.calls == [('get', NET, manager.device_id(NET))]
    assert driver.calls == [
        ('plug', NET, PORT['id'], name, PORT['mac_address'], namespace, 1450),
        ('init_l3', name, ['10.0.0.2/24', 'fd00::2/64'], namespace)]


def test_setup_without_a_port_plugs_nothing(namespaces):
    driver = FakeDriver(namespaces)
    manager = dhcp_device.DeviceManager(HOST, FakeServer(None), 'ctx', driver)
    assert manager.setup(_model()) == (None, None)
    assert driver.calls == []


@pytest.mark.parametrize('release', [True, False])
def test_destroy_unplugs_the_namespace_and_gives_the_port_back(namespaces, release):
    server, driver = FakeServer(PORT), FakeDriver(namespaces)
    manager = dhcp_device.DeviceManager(HOST, server, 'ctx', driver)
    _port, name = manager.setup(_model())
    manager.destroy(NET, release=release)
    assert namespaces == {}
    assert driver.calls[-1] == ('unplug', name, devnames.dhcp_namespace(NET))
    assert (server.calls[-1] == ('release', NET, manager.device_id(NET))) is release
    manager.destroy(NET, release=False)         # nothing left is fine


def test_a_namespace_is_ours_when_a_veth_peer_is_on_our_bridge(namespaces):
    driver = FakeDriver(namespaces)
    manager = dhcp_device.DeviceManager(HOST, FakeServer(PORT), 'ctx', driver)
    _port, name = manager.setup(_model())
    namespace = devnames.dhcp_namespace(NET)
    assert not manager.owns_namespace(namespace)
    driver.bridge_ports.append(devnames.peer_name(name))
    assert manager.owns_namespace(namespace)
    assert not manager.owns_namespace(devnames.dhcp_namespace('net-absent'))
