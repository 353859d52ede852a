"""Bridge setup of the OVS agent: br-int, one physical bridge per mapping, the patch pairs
joining them and their base flows. Everything is idempotent: a restarted agent runs it again
without touching the ports or the per-network flows already there."""

import time

from netmgr.agent.l2.ovs import flows
from netmgr import devnames


class PhysicalLink:
    """One physical network's bridge and the OpenFlow ports of its patch pair."""

    def __init__(self, physnet, bridge, int_ofport, phys_ofport):
        self.physnet = physnet
        self.bridge = bridge
        self.int_ofport = int_ofport        # on br-int, the patch towards the physical bridge
        self.phys_ofport = phys_ofport      # on the physical bridge, the patch from br-int

    def flows(self, int_br, mapping):
        """[(bridge, Flow)] of one network of this physical network on this host."""
        inbound, outbound = flows.local_vlan_flows(mapping, self.int_ofport, self.phys_ofport)
        return [(b, f) for b, f in ((int_br, inbound), (self.bridge, outbound)) if f]

    def cleanup(self, int_br, mapping):
        """[(bridge, Flow)] whose matches remove the network's flows (it left this host)."""
        return self.flows(int_br, mapping)


def setup_bridges(ovsdb, integration_bridge, bridge_mappings, datapath_type):
    """Create (or update) the bridges and patches; returns (br-int, {physnet: PhysicalLink})."""
    int_br = ovsdb.add_bridge(integration_bridge, datapath_type=datapath_type)
    links = {}
    for physnet, name in sorted(bridge_mappings.items()):
        phys_br = ovsdb.add_bridge(name, datapath_type=datapath_type)
        int_patch = devnames.patch_name(devnames.INT_PATCH, name)
        phys_patch = devnames.patch_name(devnames.PHYS_PATCH, name)
        with ovsdb.transaction() as txn:
            int_br.add_patch_port(int_patch, phys_patch, txn=txn)
            phys_br.add_patch_port(phys_patch, int_patch, txn=txn)
        links[physnet] = PhysicalLink(physnet, phys_br, _wait_ofport(int_br, int_patch),
                                      _wait_ofport(phys_br, phys_patch))
    return int_br, links


def _wait_ofport(bridge, port, attempts=100):
    for _ in range(attempts):
        ofport = bridge.get_ofport(port)
        if ofport:
            return ofport
        time.sleep(0.05)
    raise RuntimeError('port %s on %s got no OpenFlow port number' % (port, bridge.name))


def install_base_flows(int_br, links):
    """The flows that do not depend on any network (and the canary)."""
    with int_br.flows.deferred() as batch:
        batch.add_specs(f.add_spec() for f in flows.integration_base())
        batch.add_specs(flows.integration_from_physical_drop(link.int_ofport).add_spec()
                        for link in links.values())
    for link in links.values():
        with link.bridge.flows.deferred() as batch:
            batch.add_specs(f.add_spec() for f in flows.physical_base(link.phys_ofport))


def canary_present(int_br):
    return bool(int_br.flows.dump_flows(table=flows.CANARY_TABLE))
