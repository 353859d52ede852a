"""The Linux bridge agent's bridges on a fake kernel: which segments a host can carry, what a
plug enslaves, when a bridge goes, and the flood entries of the VXLAN devices."""

import pytest

from netmgr.agent.l2.linuxbridge import bridges as lb_bridges
from netmgr import devnames

NET_VX = 'a' * 8 + '-net-vx'
VXLAN = {'network_type': 'vxlan', 'physical_network': None, 'segmentation_id': 301}
FLAT = {'network_type': 'flat', 'physical_network': 'physnet1', 'segmentation_id': None}


class FakeKernel:
    """Links by name and kind, bridge members, devices up, VXLAN devices and flood entries."""

    def __init__(self):
        self.links = {'eth1': 'dummy'}
        self.members = {}
        self.up = set()
        self.vxlans = []
        self.flood = {}

    def bridge(self, name, namespace=None):
        kernel = self

        class Bridge:
            def create(self):
                kernel.links[name] = 'bridge'
                kernel.members.setdefault(name, [])
                return self

            def add_interface(self, member):
                if member not in kernel.members[name]:
                    kernel.members[name].append(member)

            def delete_interface(self, member):
                kernel.members[name].remove(member)

            def interfaces(self):
                return sorted(kernel.members.get(name, ()))

            def delete(self):
                kernel.members.pop(name)
                kernel.links.pop(name)

        bridge = Bridge()
        bridge.name = name
        return bridge

    def device(self, name, namespace=None):
        kernel = self

        class Device:
            def set_up(self):
                kernel.up.add(name)

            def delete(self, if_exists=False):
                kernel.links.pop(name, None)

        return Device()

    def add_vxlan(self, name, vni, local_ip, port=4789, namespace=None):
        self.links[name] = 'vxlan'
        self.vxlans.append((name, vni, local_ip, port))
        self.flood[name] = set()


@pytest.fixture
def kernel(monkeypatch):
    kernel = FakeKernel()
    monkeypatch.setattr(lb_bridges.bridge_lib, 'LinuxBridge', kernel.bridge)
    monkeypatch.setattr(lb_bridges.bridge_lib, 'add_vxlan', kernel.add_vxlan)
    monkeypatch.setattr(lb_bridges.bridge_lib, 'flood_entries',
                        lambda dev, namespace=None: sorted(kernel.flood[dev]))
    monkeypatch.setattr(lb_bridges.bridge_lib, 'add_flood_entry',
                        lambda dev, ip, namespace=None: kernel.flood[dev].add(ip))
    monkeypatch.setattr(lb_bridges.bridge_lib, 'delete_flood_entry',
                        lambda dev, ip, namespace=None: kernel.flood[dev].discard(ip))
    monkeypatch.setattr(lb_bridges.ip_lib, 'IPDevice', kernel.device)
    monkeypatch.setattr(lb_bridges.ip_lib, 'device_exists',
                        lambda name, namespace=None: name in kernel.links)
    monkeypatch.setattr(lb_bridges.ip_lib, 'list_devices',
                        lambda namespace=None: sorted(kernel.links))
    monkeypatch.setattr(lb_bridges.ip_lib, 'list_links', lambda namespace=None: [
        {'name': name, 'kind': kind} for name, kind in sorted(kernel.links.items())])
    return kernel


def manager(**kwargs):
    kwargs.setdefault('local_ip', '192.0.2.1')
    return lb_bridges.BridgeManager({'physnet1': 'eth1'}, **kwargs)


def test_vxlan_without_local_ip_is_unsupported():
    bridges = lb_bridges.BridgeManager({}, local_ip=None)
    with pytest.raises(lb_bridges.UnsupportedSegment):
        bridges.check_segment(NET_VX, {'network_type': 'vxlan', 'segmentation_id': 5})
    bridges.check_segment(NET_VX, {'network_type': 'local'})


@pytest.mark.parametrize('segment', [
    {'network_type': 'flat', 'physical_network': 'physnet9'},
    {'network_type': 'vlan', 'physical_network': 'physnet1', 'segmentation_id': 100},
    {'network_type': 'gre', 'segmentation_id': 5}])
def test_segments_this_host_cannot_carry(segment):
    with pytest.raises(lb_bridges.UnsupportedSegment):
        manager().check_segment(NET_VX, segment)


def test_a_flat_plug_enslaves_the_physical_interface_and_the_tap(kernel):
    kernel.links['tap1'] = 'tun'
    manager().plug('tap1', NET_VX, FLAT)
    bridge = devnames.network_bridge_name(NET_VX)
    assert kernel.members == {bridge: ['eth1', 'tap1']}
    assert kernel.up == {'eth1', 'tap1'}


def test_a_flat_plug_needs_the_physical_interface(kernel):
    del kernel.links['eth1']
    with pytest.raises(lb_bridges.UnsupportedSegment, match='eth1 is missing'):
        manager().plug('tap1', NET_VX, FLAT)
    assert kernel.members == {}


def test_a_vxlan_plug_makes_the_vxlan_device_flooding_to_the_remote_ips(kernel):
    manager(remote_ips=['192.0.2.9'], vxlan_port=8472).plug('tap1', NET_VX, VXLAN)
    assert kernel.vxlans == [('vxlan-301', 301, '192.0.2.1', 8472)]
    assert kernel.flood == {'vxlan-301': {'192.0.2.9'}}
    assert kernel.members == {devnames.network_bridge_name(NET_VX): ['vxlan-301', 'tap1']}


def test_a_bridge_goes_with_its_vxlan_device_once_no_tap_is_on_it(kernel):
    bridges = manager()
    bridges.plug('tap1', NET_VX, VXLAN)
    bridge = devnames.network_bridge_name(NET_VX)
    assert not bridges.remove_if_unused(bridge)
    bridges.unplug('tap1', NET_VX)
    assert bridges.remove_if_unused(bridge)
    assert bridge not in kernel.links and 'vxlan-301' not in kernel.links


def test_a_released_physical_interface_stays(kernel):
    bridges = manager()
    bridges.plug('tap1', NET_VX, FLAT)
    bridges.unplug('tap1', NET_VX)
    assert bridges.remove_if_unused(devnames.network_bridge_name(NET_VX))
    assert 'eth1' in kernel.links


def test_what_the_host_has(kernel):
    kernel.links.update({'tap1': 'tun', 'tap2': 'veth', 'qr-x': 'veth', 'br-int': 'bridge'})
    bridges = manager()
    bridges.plug('tap1', NET_VX, VXLAN)
    assert bridges.taps() == {'tap1', 'tap2'}
    assert bridges.network_bridges() == {devnames.network_bridge_name(NET_VX):
                                         ['tap1', 'vxlan-301']}


def test_flood_entries_follow_the_remote_ips_on_present_vxlan_devices(monkeypatch):
    entries = {'vxlan-301': {'192.0.2.7'}, 'vxlan-302': set()}
    links = [{'name': name, 'kind': 'vxlan'} for name in entries] + [
        {'name': 'vxlan-x', 'kind': 'bridge'}, {'name': 'eth0', 'kind': 'vxlan'}]
    monkeypatch.setattr(lb_bridges.ip_lib, 'list_links', lambda namespace=None: links)
    monkeypatch.setattr(lb_bridges.bridge_lib, 'flood_entries',
                        lambda dev, namespace=None: sorted(entries[dev]))
    monkeypatch.setattr(lb_bridges.bridge_lib, 'add_flood_entry',
                        lambda dev, ip, namespace=None: entries[dev].add(ip))
    monkeypatch.setattr(lb_bridges.bridge_lib, 'delete_flood_entry',
                        lambda dev, ip, namespace=None: entries[dev].discard(ip))
    manager = lb_bridges.BridgeManager({}, local_ip='192.0.2.1', remote_ips=['192.0.2.9'])
    manager.set_remote_ips({'192.0.2.1', '192.0.2.2'})
    assert manager.remote_ips == ['192.0.2.2', '192.0.2.9']
    assert entries == {'vxlan-301': {'192.0.2.2', '192.0.2.9'},
                       'vxlan-302': {'192.0.2.2', '192.0.2.9'}}
