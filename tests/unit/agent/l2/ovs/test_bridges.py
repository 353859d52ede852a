"""The OVS agent's bridge setup on a fake OVSDB: br-int, a bridge per physical network and the
tunnel bridge, the patch pairs joining them, tunnel ports, their base flows and the
canaries."""

import contextlib

from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import tunnel_flows
from netmgr.agent.l2.ovs import tunnels
from netmgr.agent.linux import ofctl
from netmgr.conf import ovs_agent as ovs_conf
from netmgr import devnames


class FakeFlows:
    def __init__(self):
        self.added = []

    @contextlib.contextmanager
    def deferred(self):
        batch = ofctl.FlowBatch()
        yield batch
        self.added += [spec for verb, specs in batch.runs() for spec in specs]

    def dump_flows(self, table=None):
        return [s for s in self.added if s.startswith('table=%d,' % table)]


class FakeBridge:
    def __init__(self, name, ofports):
        self.name = name
        self.ofports = ofports
        self.patches = {}
        self.ports = {}
        self.flows = FakeFlows()

    def add_patch_port(self, name, peer, txn=None):
        assert txn is not None
        self.patches[name] = peer
        self.ofports.setdefault(name, len(self.ofports) + 1)

    def add_port(self, name, port_type=None, options=None, txn=None):
        self.ports[name] = (port_type, options)
        self.ofports.setdefault(name, len(self.ofports) + 1)

    def get_ofport(self, name):
        return self.ofports.get(name)


class FakeOvsdb:
    def __init__(self):
        self.bridges = {}
        self.ofports = {}

    def add_bridge(self, name, datapath_type=None):
        bridge = self.bridges.get(name) or FakeBridge(name, self.ofports)
        self.bridges[name] = bridge
        bridge.datapath_type = datapath_type
        return bridge

    @contextlib.contextmanager
    def transaction(self):
        yield object()


def test_each_physical_network_gets_a_bridge_patched_to_br_int():
    ovsdb = FakeOvsdb()
    int_br, links = ovs_bridges.setup_bridges(ovsdb, 'br-int', {'physnet1': 'br-eth1'},
                                              'netdev')
    int_patch = devnames.patch_name(devnames.INT_PATCH, 'br-eth1')
    phys_patch = devnames.patch_name(devnames.PHYS_PATCH, 'br-eth1')
    phys_br = ovsdb.bridges['br-eth1']
    assert int_br.patches == {int_patch: phys_patch}
    assert phys_br.patches == {phys_patch: int_patch}
    assert {b.datapath_type for b in ovsdb.bridges.values()} == {'netdev'}
    link = links['physnet1']
    assert (link.physnet, link.bridge) == ('physnet1', phys_br)
    assert (link.int_ofport, link.phys_ofport) == (ovsdb.ofports[int_patch],
                                                   ovsdb.ofports[phys_patch])


def test_setup_again_keeps_the_same_bridges_and_ports():
    ovsdb = FakeOvsdb()
    _, first = ovs_bridges.setup_bridges(ovsdb, 'br-int', {'physnet1': 'br-eth1'}, 'system')
    _, again = ovs_bridges.setup_bridges(ovsdb, 'br-int', {'physnet1': 'br-eth1'}, 'system')
    assert sorted(ovsdb.bridges) == ['br-eth1', 'br-int']
    assert (again['physnet1'].int_ofport, again['physnet1'].phys_ofport) == (
        first['physnet1'].int_ofport, first['physnet1'].phys_ofport)


def test_base_flows_and_the_canary():
    ovsdb = FakeOvsdb()
    int_br, links = ovs_bridges.setup_bridges(ovsdb, 'br-int', {'physnet1': 'br-eth1'},
                                              'system')
    assert not ovs_bridges.canary_present(int_br)
    ovs_bridges.install_base_flows(int_br, links)
    link = links['physnet1']
    assert int_br.flows.added == [f.add_spec() for f in flows.integration_base()] + [
        flows.integration_from_physical_drop(link.int_ofport).add_spec()]
    assert link.bridge.flows.added == [f.add_spec()
                                       for f in flows.physical_base(link.phys_ofport)]
    assert ovs_bridges.canary_present(int_br)


def test_the_tunnel_bridge_is_patched_to_br_int_and_gets_base_flows_and_a_canary():
    ovsdb = FakeOvsdb()
    int_br, links = ovs_bridges.setup_bridges(ovsdb, 'br-int', {}, 'netdev')
    settings = ovs_conf.TunnelSettings('192.0.2.1', ('vxlan',), 'br-tun', 'patch-tun',
                                       'patch-int', 4789, True)
    tun_br, int_ofport, tun_ofport = ovs_bridges.setup_tunnel_bridge(ovsdb, int_br, settings,
                                                                     'netdev')
    assert int_br.patches == {'patch-tun': 'patch-int'}
    assert tun_br.patches == {'patch-int': 'patch-tun'}
    assert (tun_br.datapath_type, int_ofport, tun_ofport) == (
        'netdev', ovsdb.ofports['patch-tun'], ovsdb.ofports['patch-int'])
    overlay = tunnels.Overlay(settings, tun_br, int_ofport, tun_ofport)
    ofport = ovs_bridges.add_tunnel_port(tun_br, 'vxlan-c0000202', 'vxlan', '192.0.2.1',
                                         '192.0.2.2', 4790)
    assert tun_br.ports['vxlan-c0000202'] == ('vxlan', {
        'remote_ip': '192.0.2.2', 'local_ip': '192.0.2.1', 'in_key': 'flow',
        'out_key': 'flow', 'dst_port': '4790'})
    overlay.ports[('vxlan', '192.0.2.2')] = ofport
    assert not ovs_bridges.canary_present(tun_br)
    ovs_bridges.install_base_flows(int_br, links, overlay)
    assert flows.integration_from_physical_drop(int_ofport).add_spec() in int_br.flows.added
    assert tun_br.flows.added == [f.add_spec() for f in tunnel_flows.tunnel_base(
        tun_ofport, ('vxlan',)) + [tunnel_flows.from_tunnel_port(ofport, 'vxlan')]]
    assert ovs_bridges.canary_present(tun_br)
