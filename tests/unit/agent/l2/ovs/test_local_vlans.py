"""Local VLANs of the OVS agent and the flows that translate them to segments."""

import pytest

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr import exceptions

NET_A, NET_B = 'net-a', 'net-b'


def test_networks_get_distinct_vlans_and_reuse_their_own():
    manager = local_vlans.LocalVlanManager()
    a, created = manager.provision(NET_A, 'vlan', 'physnet1', 150)
    b, _ = manager.provision(NET_B, 'flat', 'physnet1', None)
    assert created and a.vlan != b.vlan
    again, created = manager.provision(NET_A, 'vlan', 'physnet1', 150)
    assert again is a and not created


def test_last_port_gone_frees_the_vlan_for_the_next_network():
    manager = local_vlans.LocalVlanManager(first=1, last=1)
    mapping, _ = manager.provision(NET_A, 'vlan', 'physnet1', 150)
    manager.add_port(NET_A, 'p1')
    manager.add_port(NET_A, 'p2')
    assert manager.remove_port('p1') is None
    assert manager.remove_port('p2') is mapping
    with pytest.raises(exceptions.LocalVlanExhausted):
        manager.provision(NET_B, 'vlan', 'physnet1', 151)
    manager.reclaim(NET_A)
    assert manager.provision(NET_B, 'vlan', 'physnet1', 151)[0].vlan == 1


def test_a_port_moving_network_leaves_the_old_one():
    manager = local_vlans.LocalVlanManager()
    manager.provision(NET_A, 'vlan', 'physnet1', 150)
    manager.provision(NET_B, 'vlan', 'physnet1', 151)
    manager.add_port(NET_A, 'p1')
    manager.add_port(NET_B, 'p1')
    assert manager.get(NET_A).ports == set() and manager.network_of('p1') == NET_B


def test_restore_keeps_the_tag_found_on_the_bridge():
    manager = local_vlans.LocalVlanManager()
    restored = manager.restore(NET_A, 7, 'vlan', 'physnet1', 150)
    assert restored.vlan == 7
    assert manager.restore(NET_A, 7, 'vlan', 'physnet1', 150) is restored
    assert manager.restore(NET_B, 7, 'vlan', 'physnet1', 151) is None   # taken
    assert manager.provision(NET_B, 'vlan', 'physnet1', 151)[0].vlan != 7


def test_other_config_round_trips_the_segment():
    mapping = local_vlans.LocalVlan(NET_A, 3, 'flat', 'physnet1', None)
    assert mapping.other_config() == {'net_uuid': NET_A, 'network_type': 'flat',
                                      'physical_network': 'physnet1', 'segmentation_id': ''}


def test_vlan_flows_translate_both_ways():
    mapping = local_vlans.LocalVlan(NET_A, 3, 'vlan', 'physnet1', 150)
    inbound, outbound = flows.local_vlan_flows(mapping, int_ofport=10, phys_ofport=20)
    assert inbound.add_spec() == \
        'table=0,in_port=10,dl_vlan=150,priority=3,actions=mod_vlan_vid:3,NORMAL'
    assert outbound.add_spec() == \
        'table=0,in_port=20,dl_vlan=3,priority=4,actions=mod_vlan_vid:150,NORMAL'
    assert inbound.delete_spec() == 'table=0,in_port=10,dl_vlan=150'


def test_flat_flows_match_and_strip_untagged_frames():
    mapping = local_vlans.LocalVlan(NET_A, 4, 'flat', 'physnet1', None)
    inbound, outbound = flows.local_vlan_flows(mapping, int_ofport=10, phys_ofport=20)
    assert 'dl_vlan=0xffff' in inbound.add_spec()
    assert outbound.actions == 'strip_vlan,NORMAL'


def test_local_networks_have_no_physical_flows():
    mapping = local_vlans.LocalVlan(NET_A, 5, 'local', None, None)
    assert flows.local_vlan_flows(mapping, 10, 20) == (None, None)


def test_dead_ports_and_canary():
    assert flows.dead_port_drop(12).add_spec() == 'table=0,in_port=12,priority=2,actions=drop'
    assert flows.canary().add_spec() == 'table=23,priority=0,actions=drop'
    assert flows.is_dead(4095) and not flows.is_dead(1)
