"""br-tun's flows as ovs-ofctl takes them: Neutron's tables, a network's tunnel id to and from
its local VLAN, floods and L2 population entries, and what removes a network's flows."""

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr.agent.l2.ovs import tunnel_flows

VXLAN = local_vlans.LocalVlan('net-a', 3, 'vxlan', None, 5001)
GRE = local_vlans.LocalVlan('net-b', 4, 'gre', None, 4294967295)


def test_base_classifies_by_in_port_and_splits_unicast_from_floods():
    base = {f.add_spec() for f in tunnel_flows.tunnel_base(1, ('vxlan', 'geneve'))}
    assert {'table=0,priority=0,actions=drop',
            'table=0,in_port=1,priority=1,actions=resubmit(,2)',
            'table=2,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,priority=0,'
            'actions=resubmit(,20)',
            'table=2,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,priority=0,'
            'actions=resubmit(,22)',
            'table=4,priority=0,actions=drop', 'table=6,priority=0,actions=drop',
            'table=20,priority=0,actions=resubmit(,22)',
            'table=22,priority=0,actions=drop', 'table=23,priority=0,actions=drop'} < base
    learn = [s for s in base if s.startswith('table=10,')]
    assert learn == ['table=10,priority=1,actions=learn(table=20,priority=1,hard_timeout=300,'
                     'NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],'
                     'load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],'
                     'output:OXM_OF_IN_PORT[]),output:1']
    assert not any(s.startswith('table=3,') for s in base)     # gre is not carried
    assert flows.canary() in tunnel_flows.tunnel_base(1, ())


def test_tunnel_ports_go_to_their_types_table():
    assert tunnel_flows.from_tunnel_port(7, 'gre').add_spec() == \
        'table=0,in_port=7,priority=1,actions=resubmit(,3)'
    assert tunnel_flows.from_tunnel_port(8, 'geneve').actions == 'resubmit(,6)'


def test_a_network_maps_its_tunnel_id_to_its_local_vlan_and_back():
    assert tunnel_flows.inbound(VXLAN).add_spec() == \
        'table=4,tun_id=5001,priority=1,actions=mod_vlan_vid:3,resubmit(,10)'
    assert tunnel_flows.inbound(GRE).add_spec().startswith('table=3,tun_id=4294967295,')
    assert tunnel_flows.integration_inbound(9, VXLAN).add_spec() == \
        'table=0,in_port=9,dl_vlan=3,priority=3,actions=NORMAL'
    assert tunnel_flows.flood(VXLAN, [12, 11]).add_spec() == \
        'table=22,dl_vlan=3,priority=1,actions=strip_vlan,set_tunnel:5001,output:11,output:12'
    assert tunnel_flows.flood(VXLAN, []) is None
    assert tunnel_flows.unicast(VXLAN, 'fa:16:3e:00:00:02', 11).add_spec() == \
        'table=20,dl_vlan=3,dl_dst=fa:16:3e:00:00:02,priority=2,' \
        'actions=strip_vlan,set_tunnel:5001,output:11'


def test_a_network_leaving_takes_its_learned_flows_along():
    assert [f.delete_spec() for f in tunnel_flows.network_matches(VXLAN)] == [
        'table=4,tun_id=5001', 'table=20,dl_vlan=3', 'table=22,dl_vlan=3']
