"""The OVS agent's flows: the base rules, the translation between local VLANs and segments,
the dead port drop and the canary; flow changes on several bridges."""

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr import constants as const
from tests.unit.agent.l2.ovs.fakes import FakeBridge

NET_A = 'net-a'


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


def test_base_flows_switch_normally_and_drop_what_comes_up_unmapped():
    assert [f.add_spec() for f in flows.integration_base()] == [
        'table=0,priority=0,actions=NORMAL', 'table=23,priority=0,actions=drop']
    assert flows.canary() in flows.integration_base()
    assert flows.integration_from_physical_drop(7).add_spec() == \
        'table=0,in_port=7,priority=2,actions=drop'
    assert [f.add_spec() for f in flows.physical_base(9)] == [
        'table=0,priority=0,actions=NORMAL', 'table=0,in_port=9,priority=2,actions=drop']


def test_flat_vlan_local_and_tunnel_networks_are_wired_tunnels_without_physical_flows():
    assert set(flows.SUPPORTED_TYPES) == {const.TYPE_FLAT, const.TYPE_VLAN, const.TYPE_LOCAL,
                                          const.TYPE_VXLAN, const.TYPE_GRE, const.TYPE_GENEVE}
    mapping = local_vlans.LocalVlan(NET_A, 6, const.TYPE_VXLAN, None, 301)
    assert flows.local_vlan_flows(mapping, 10, 20) == (None, None)


def test_changes_apply_deletes_then_adds_once_per_bridge():
    one, two = FakeBridge('one'), FakeBridge('two')
    changes = flows.Changes()
    assert not changes
    changes.add(one, flows.dead_port_drop(5))
    changes.delete(one, flows.dead_port_drop(5))
    changes.add(two, flows.canary())
    assert changes
    changes.apply()
    assert one.flows.log == [('del-flows', 'table=0,in_port=5'),
                             ('add-flows', 'table=0,in_port=5,priority=2,actions=drop')]
    assert two.flows.specs == {flows.canary().add_spec()}
    assert not changes
