"""Local VLANs of the OVS agent: one per network on the host, kept across restarts."""

import pytest

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
