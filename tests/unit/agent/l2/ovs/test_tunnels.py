"""br-tun's bookkeeping with a fake bridge: tunnel ports per remote host and type, FDB entries
turned into flood and unicast flows (only what changed is rewritten), networks not pulled
ignored, L2 population off flooding to every tunnel, restore and sweep after a restart."""

import pytest

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr.agent.l2.ovs import tunnel_flows
from netmgr.agent.l2.ovs import tunnels
from netmgr.conf import ovs_agent as ovs_conf
from netmgr import constants as const
from tests.unit.agent.l2.ovs.fakes import FakeBridge

LOCAL, H2, H3 = '192.0.2.1', '192.0.2.2', '192.0.2.3'
FLOOD = list(const.FLOODING_ENTRY)
MAC2, MAC3 = 'fa:16:3e:00:00:02', 'fa:16:3e:00:00:03'


def settings(l2_population=True, types=('vxlan', 'gre')):
    return ovs_conf.TunnelSettings(LOCAL, types, 'br-tun', 'patch-tun', 'patch-int', 4789,
                                   l2_population)


class Vlans:
    """The part of LocalVlanManager the overlay reads."""

    def __init__(self, *mappings):
        self.by_network = {m.network_id: m for m in mappings}

    def get(self, network_id):
        return self.by_network.get(network_id)


NET = local_vlans.LocalVlan('net-a', 3, 'vxlan', None, 5001)


def entries(network=NET, **ports):
    return {network.network_id: {'segment_id': network.segmentation_id,
                                 'network_type': network.network_type,
                                 'ports': {ip.replace('_', '.'): e for ip, e in ports.items()}}}


def ip_key(ip):
    return ip.replace('.', '_')


@pytest.fixture
def overlay():
    return tunnels.Overlay(settings(), FakeBridge('br-tun'), 9, 1)


def put(bridge, rules):
    """Rules already on ``bridge`` (left by an earlier run)."""
    changes = flows.Changes()
    for flow in rules:
        changes.add(bridge, flow)
    changes.apply()


def apply(call, *args):
    changes = flows.Changes()
    call(*args, changes)
    changes.apply()
    return changes


def test_a_tunnel_port_per_remote_host_and_type_with_neutrons_names(overlay):
    bridge = overlay.bridge
    apply(lambda c: overlay.add_tunnel('vxlan', H2, c))
    ofport = overlay.ports[('vxlan', H2)]
    assert bridge.interface_rows['vxlan-c0000202'] == ('vxlan', {
        'remote_ip': H2, 'local_ip': LOCAL, 'in_key': 'flow', 'out_key': 'flow',
        'dst_port': '4789'}, ofport)
    apply(lambda c: overlay.add_tunnel('gre', H2, c))
    assert bridge.interface_rows['gre-c0000202'][1] == {
        'remote_ip': H2, 'local_ip': LOCAL, 'in_key': 'flow', 'out_key': 'flow'}
    assert tunnel_flows.from_tunnel_port(ofport, 'vxlan').add_spec() in bridge.flows.specs
    # its own address, a type not carried, a port already there: nothing new
    for tunnel_type, ip in (('vxlan', LOCAL), ('geneve', H3), ('vxlan', H2)):
        apply(lambda c: overlay.add_tunnel(tunnel_type, ip, c))
    assert sorted(bridge.interface_rows) == ['gre-c0000202', 'vxlan-c0000202']


def test_fdb_entries_become_flood_and_unicast_flows(overlay):
    overlay.replace_entries([NET], {}, flows.Changes())
    apply(overlay.add_entries, Vlans(NET), entries(**{ip_key(H2): [FLOOD, [MAC2, '10.0.0.2']],
                                                      ip_key(LOCAL): [FLOOD]}))
    port2 = overlay.ports[('vxlan', H2)]
    assert ('vxlan', LOCAL) not in overlay.ports
    assert overlay.bridge.flows.table(22) == {tunnel_flows.flood(NET, [port2]).add_spec()}
    assert overlay.bridge.flows.table(20) == {
        tunnel_flows.unicast(NET, MAC2, port2).add_spec()}

    apply(overlay.add_entries, Vlans(NET), entries(**{ip_key(H3): [FLOOD, [MAC3, '10.0.0.3']]}))
    port3 = overlay.ports[('vxlan', H3)]
    assert overlay.bridge.flows.table(22) == {tunnel_flows.flood(NET, [port2, port3]).add_spec()}
    assert len(overlay.bridge.flows.table(20)) == 2

    apply(overlay.remove_entries, Vlans(NET),
          entries(**{ip_key(H2): [FLOOD, [MAC2, '10.0.0.2']]}))
    assert overlay.bridge.flows.table(22) == {tunnel_flows.flood(NET, [port3]).add_spec()}
    assert overlay.bridge.flows.table(20) == {
        tunnel_flows.unicast(NET, MAC3, port3).add_spec()}
    apply(overlay.remove_entries, Vlans(NET), entries(**{ip_key(H3): [FLOOD]}))
    assert overlay.bridge.flows.table(22) == set()      # the table's default drops


def test_an_entry_known_already_rewrites_nothing(overlay):
    overlay.replace_entries([NET], {}, flows.Changes())
    known = entries(**{ip_key(H2): [FLOOD, [MAC2, '10.0.0.2']]})
    apply(overlay.add_entries, Vlans(NET), known)
    assert not apply(overlay.add_entries, Vlans(NET), known).adds
    assert not apply(overlay.remove_entries, Vlans(NET),
                     entries(**{ip_key(H3): [[MAC3, '10.0.0.3']]}))


def test_a_mac_that_moved_stays_with_its_new_host(overlay):
    overlay.replace_entries([NET], {}, flows.Changes())
    apply(overlay.add_entries, Vlans(NET), entries(**{ip_key(H2): [[MAC2, '10.0.0.2']]}))
    apply(overlay.add_entries, Vlans(NET), entries(**{ip_key(H3): [[MAC2, '10.0.0.2']]}))
    apply(overlay.remove_entries, Vlans(NET), entries(**{ip_key(H2): [[MAC2, '10.0.0.2']]}))
    assert overlay.bridge.flows.table(20) == {
        tunnel_flows.unicast(NET, MAC2, overlay.ports[('vxlan', H3)]).add_spec()}


def test_entries_of_networks_not_pulled_here_or_of_another_type_are_ignored(overlay):
    other = local_vlans.LocalVlan('net-b', 4, 'vxlan', None, 5002)
    overlay.replace_entries([NET], {}, flows.Changes())
    assert not apply(overlay.add_entries, Vlans(NET, other),
                     entries(other, **{ip_key(H2): [FLOOD]}))       # not pulled
    assert not apply(overlay.add_entries, Vlans(NET),
                     entries(other, **{ip_key(H2): [FLOOD]}))       # no local VLAN
    wrong_type = entries(**{ip_key(H2): [FLOOD]})
    wrong_type['net-a']['network_type'] = 'gre'
    assert not apply(overlay.add_entries, Vlans(NET), wrong_type)
    assert overlay.ports == {}


def test_pulled_entries_replace_what_was_known(overlay):
    overlay.replace_entries([NET], {}, flows.Changes())
    apply(overlay.add_entries, Vlans(NET), entries(**{ip_key(H2): [FLOOD, [MAC2, '10.0.0.2']]}))
    assert overlay.pulled('net-a')
    apply(overlay.replace_entries, [NET], entries(**{ip_key(H3): [FLOOD]}))
    assert overlay.bridge.flows.table(22) == {
        tunnel_flows.flood(NET, [overlay.ports[('vxlan', H3)]]).add_spec()}
    assert overlay.bridge.flows.table(20) == set()
    overlay.forget_entries()
    assert not overlay.pulled('net-a')


def test_without_l2_population_floods_go_to_every_tunnel_of_the_type():
    overlay = tunnels.Overlay(settings(l2_population=False), FakeBridge('br-tun'), 9, 1)
    gre = local_vlans.LocalVlan('net-g', 5, 'gre', None, 77)
    apply(lambda c: overlay.add_tunnel('vxlan', H2, c, [NET, gre]))
    apply(lambda c: overlay.add_tunnel('vxlan', H3, c, [NET, gre]))
    vx2, vx3 = overlay.ports[('vxlan', H2)], overlay.ports[('vxlan', H3)]
    assert overlay.bridge.flows.table(22) == {tunnel_flows.flood(NET, [vx2, vx3]).add_spec()}
    assert [f for _b, f in overlay.flows('br-int', NET)] == [
        tunnel_flows.integration_inbound(9, NET), tunnel_flows.inbound(NET),
        tunnel_flows.flood(NET, [vx2, vx3])]
    apply(lambda c: overlay.keep_tunnels('vxlan', {H3}, c, [NET, gre]))
    assert overlay.bridge.flows.table(22) == {tunnel_flows.flood(NET, [vx3]).add_spec()}
    assert 'vxlan-c0000202' not in overlay.bridge.interface_rows


def test_a_network_leaving_forgets_its_entries_and_removes_its_flows(overlay):
    apply(overlay.replace_entries, [NET], entries(**{ip_key(H2): [FLOOD, [MAC2, '1.1.1.1']]}))
    put(overlay.bridge, [f for _b, f in overlay.flows(overlay.bridge, NET)])
    changes = flows.Changes()
    for bridge, flow in overlay.cleanup(overlay.bridge, NET):
        changes.delete(bridge, flow)
    changes.apply()
    assert not overlay.pulled('net-a')
    assert not [s for s in overlay.bridge.flows.specs if 'dl_vlan=3' in s or 'tun_id' in s]


def test_restore_and_sweep_after_a_restart():
    bridge = FakeBridge('br-tun')
    bridge.interface_rows = {
        'vxlan-c0000202': ('vxlan', {'remote_ip': H2}, 5),
        'vxlan-c0000203': ('vxlan', {'remote_ip': H3}, 6),
        'patch-int': ('patch', {'peer': 'patch-tun'}, 1)}
    old = local_vlans.LocalVlan('net-old', 8, 'vxlan', None, 6000)
    learned = flows.Flow(20, 1, (('dl_vlan', 3), ('dl_dst', MAC3)), 'output:6')
    left = [tunnel_flows.from_tunnel_port(6, 'vxlan'), tunnel_flows.inbound(old),
            tunnel_flows.flood(old, [5]), tunnel_flows.unicast(NET, MAC3, 6),
            tunnel_flows.unicast(NET, MAC2, 5), learned]
    put(bridge, left)
    overlay = tunnels.Overlay(settings(), bridge, 9, 1)
    overlay.restore(bridge.interfaces())
    assert overlay.ports == {('vxlan', H2): 5, ('vxlan', H3): 6}
    apply(lambda c: overlay.keep_tunnels('vxlan', {H2, LOCAL}, c, [NET]))
    apply(overlay.replace_entries, [NET], entries(**{ip_key(H2): [FLOOD, [MAC2, '1.1.1.1']]}))
    apply(overlay.sweep, [NET])
    specs = bridge.flows.specs
    assert tunnel_flows.unicast(NET, MAC2, 5).add_spec() in specs
    assert tunnel_flows.flood(NET, [5]).add_spec() in specs
    # a stale entry's delete also takes what was learned for that MAC
    assert learned.add_spec() not in specs
    for gone in left[:4]:
        assert gone.add_spec() not in specs
