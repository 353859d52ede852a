"""Which ports the OVS agent may wire, the flows of a network, and the local VLANs rebuilt
from br-int after a restart."""

import pytest

from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr.agent.l2.ovs import port_wiring
from netmgr.agent.linux import ovs_lib

INT_BR, PHYS_BR = object(), object()
LINKS = {'physnet1': ovs_bridges.PhysicalLink('physnet1', PHYS_BR, 10, 20)}
WIREABLE = {'port_id': 'p1', 'network_id': 'net-a', 'admin_state_up': True,
            'network_type': 'vlan', 'physical_network': 'physnet1', 'segmentation_id': 150}


class Carrier:
    """An overlay carrying ``types``."""

    def __init__(self, *types):
        self.types = types

    def carries(self, network_type):
        return network_type in self.types


@pytest.mark.parametrize('change, overlay, reason', [
    ({}, None, None),
    ({'network_type': 'flat', 'segmentation_id': None}, None, None),
    ({'network_type': 'local', 'physical_network': None}, None, None),
    ({'network_type': 'gre', 'physical_network': None}, Carrier('vxlan', 'gre'), None),
    ({'physical_network': 'physnet9'}, None,
     'physical network physnet9 is not mapped ([OVS] bridge_mappings)'),
    ({'network_type': 'vxlan', 'physical_network': None}, None,
     'no tunnel type vxlan configured ([AGENT] tunnel_types)'),
    ({'network_type': 'geneve', 'physical_network': None}, Carrier('vxlan'),
     'no tunnel type geneve configured ([AGENT] tunnel_types)'),
    ({'network_type': 'opflex'}, None, 'network type opflex is not carried by this agent'),
    ({'admin_state_up': False}, None, port_wiring.ADMIN_DOWN),
    ({'port_id': None}, None, 'not bound to this host'),
    ({'network_id': None}, None, 'not bound to this host')])
def test_which_ports_may_be_wired_and_why_not(change, overlay, reason):
    assert port_wiring.unwireable_reason(dict(WIREABLE, **change), LINKS, overlay) == reason


def test_a_network_has_flows_on_both_bridges_unless_it_is_local():
    wiring = port_wiring.PortWiring(INT_BR, LINKS)
    vlan = local_vlans.LocalVlan('net-a', 3, 'vlan', 'physnet1', 150)
    inbound, outbound = flows.local_vlan_flows(vlan, 10, 20)
    assert wiring.network_flows(vlan) == [(INT_BR, inbound), (PHYS_BR, outbound)]
    local = local_vlans.LocalVlan('net-b', 4, 'local', None, None)
    assert wiring.network_flows(local) == []


def test_restore_takes_the_tags_of_marked_ports_only():
    wiring = port_wiring.PortWiring(INT_BR, LINKS)
    vifs = [ovs_lib.VifPort('tap%d' % n, n, 'p%d' % n, 'fa:16:3e:00:00:0%d' % n, 'vm', 'br-int')
            for n in range(1, 5)]
    marked = local_vlans.LocalVlan('net-a', 7, 'vlan', 'physnet1', 150).other_config()
    wiring.restore(vifs, {'tap1': (7, marked), 'tap2': (7, marked),
                          'tap3': (local_vlans.DEAD_VLAN, marked), 'tap4': (8, {})})
    mapping = wiring.vlans.get('net-a')
    assert (mapping.vlan, mapping.segment()) == (7, ('vlan', 'physnet1', 150))
    assert mapping.ports == {'p1', 'p2'}
    assert [m.network_id for m in wiring.vlans.networks()] == ['net-a']
