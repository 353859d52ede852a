"""The OVS agent's bridge setup on a fake OVSDB: br-int, a bridge per physical network, the
patch pair joining them, their base flows and the canary."""

import contextlib

from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import flows
from netmgr.agent.linux import ofctl
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
        self.flows = FakeFlows()

    def add_patch_port(self, name, peer, txn=None):
        assert txn is not None
        self.patches[name] = peer
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
