"""Plugging a namespace's veth into OVS on a fake host: the pair, its MAC and MTU, the OVS
port the L2 agent recognises, repair of half a pair, exact addresses, and unplugging."""

import pytest

from netmgr.agent.linux import interface
from netmgr import devnames

NS = 'qdhcp-net-1'
INNER = 'tapa1b2c3d4-22'
OUTER = devnames.peer_name(INNER)
MAC = 'FA:16:3E:00:00:01'


class FakeHost:
    """Devices by (namespace, name) with their attributes; OVS ports by bridge."""

    def __init__(self):
        self.devices = {}
        self.namespaces = set()
        self.ports = {}             # bridge -> {port name: external_ids}
        self.veths_made = 0

    def device(self, name, namespace=None):
        host, key = self, (namespace, name)

        class Device:
            def exists(self):
                return key in host.devices

            def delete(self, if_exists=False):
                host.devices.pop(key, None)

            def link(self):
                return {'address': host.devices[key]['address']}

            def set_address(self, address):
                host.devices[key]['address'] = address.lower()

            def set_mtu(self, mtu):
                host.devices[key]['mtu'] = mtu

            def disable_tx_checksum(self, executor):
                host.devices[key]['tx_checksum'] = False

            def set_up(self):
                host.devices[key]['up'] = True

            def list_addresses(self):
                return list(host.devices[key]['addresses'])

            def add_address(self, cidr):
                host.devices[key]['addresses'].append(cidr)

            def delete_address(self, cidr):
                host.devices[key]['addresses'].remove(cidr)

        return Device()

    def add_veth(self, name, peer, peer_namespace=None):
        self.veths_made += 1
        for key in ((None, name), (peer_namespace, peer)):
            self.devices[key] = {'address': '02:00:00:00:00:%02x' % len(self.devices),
                                 'up': False, 'addresses': []}

    # ovsdb
    def bridge(self, name):
        ports = self.ports.setdefault(name, {})

        class Bridge:
            def add_port(self, port, external_ids):
                ports[port] = external_ids

            def delete_port(self, port):
                ports.pop(port, None)

        return Bridge()

    def run(self, commands):
        for bridge_ports in self.ports.values():
            for port in commands:
                bridge_ports.pop(port, None)

    @property
    def api(self):
        class Api:
            @staticmethod
            def del_port(port, if_exists=False):
                return port
        return Api()


@pytest.fixture
def host(monkeypatch):
    host = FakeHost()
    monkeypatch.setattr(interface.ip_lib, 'IPDevice', host.device)
    monkeypatch.setattr(interface.ip_lib, 'add_veth', host.add_veth)
    monkeypatch.setattr(interface.ip_lib, 'create_namespace', host.namespaces.add)
    monkeypatch.setattr(interface.ip_lib, 'namespace_exists', host.namespaces.__contains__)
    return host


def _driver(host, datapath_type='system'):
    return interface.OVSInterfaceDriver('executor', host, 'br-int', datapath_type)


def test_plug_makes_the_pair_and_the_port_the_l2_agent_recognises(host):
    _driver(host, 'netdev').plug('net-1', 'port-1', INNER, MAC, NS, mtu=1450)
    inner, outer = host.devices[(NS, INNER)], host.devices[(None, OUTER)]
    assert inner == {'address': MAC.lower(), 'mtu': 1450, 'tx_checksum': False, 'up': True,
                     'addresses': []}
    assert (outer['mtu'], outer['tx_checksum'], outer['up']) == (1450, False, True)
    assert host.ports == {'br-int': {OUTER: {'iface-id': 'port-1', 'attached-mac': MAC,
                                             'iface-status': 'active'}}}
    assert NS in host.namespaces


def test_plug_again_keeps_a_whole_pair_and_remakes_half_a_pair(host):
    driver = _driver(host)
    driver.plug('net-1', 'port-1', INNER, MAC, NS, bridge='br-ex')
    driver.plug('net-1', 'port-1', INNER, MAC, NS, bridge='br-ex')
    assert host.veths_made == 1 and 'tx_checksum' not in host.devices[(NS, INNER)]
    del host.devices[(None, OUTER)]
    driver.plug('net-1', 'port-1', INNER, MAC, NS, bridge='br-ex')
    assert host.veths_made == 2 and list(host.ports['br-ex']) == [OUTER]


def test_init_l3_leaves_exactly_the_wanted_and_the_link_local_addresses(host):
    driver = _driver(host)
    driver.plug('net-1', 'port-1', INNER, MAC, NS)
    host.devices[(NS, INNER)]['addresses'] = ['10.0.0.9/24', 'fe80::1/64', 'fd00::2/64']
    driver.init_l3(INNER, ['10.0.0.2/24', 'fd00:0::2/64'], NS)
    assert sorted(host.devices[(NS, INNER)]['addresses']) == [
        '10.0.0.2/24', 'fd00::2/64', 'fe80::1/64']


@pytest.mark.parametrize('bridge', [None, 'br-ex'])
def test_unplug_removes_the_port_and_both_ends(host, bridge):
    driver = _driver(host)
    driver.plug('net-1', 'port-1', INNER, MAC, NS, bridge=bridge)
    driver.unplug(INNER, NS, bridge=bridge)
    assert host.devices == {} and host.ports[bridge or 'br-int'] == {}
    driver.unplug(INNER, NS, bridge=bridge)     # nothing there is fine
