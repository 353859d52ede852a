"""Bridge setup of the OVS agent: br-int, one physical bridge per mapping, the tunnel bridge,
the patch pairs joining them to br-int, tunnel ports and the base flows. Everything is
idempotent: a restarted agent runs it again without touching the ports or the per-network
flows already there."""

import time

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import tunnel_flows
from netmgr import constants as const
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
        ofports = _patch_pair(ovsdb, int_br, devnames.patch_name(devnames.INT_PATCH, name),
                              phys_br, devnames.patch_name(devnames.PHYS_PATCH, name))
        links[physnet] = PhysicalLink(physnet, phys_br, *ofports)
    return int_br, links


def setup_tunnel_bridge(ovsdb, int_br, settings, datapath_type):
    """Create (or update) the tunnel bridge of ``settings`` (conf.ovs_agent.TunnelSettings)
    and its patch pair; returns (br-tun, patch ofport on br-int, patch ofport on br-tun)."""
    tun_br = ovsdb.add_bridge(settings.bridge, datapath_type=datapath_type)
    return (tun_br,) + _patch_pair(ovsdb, int_br, settings.int_patch, tun_br,
                                   settings.tun_patch)


def _patch_pair(ovsdb, int_br, int_patch, other_br, other_patch):
    """Patch ports joining br-int and ``other_br``; returns their OpenFlow numbers."""
    with ovsdb.transaction() as txn:
        int_br.add_patch_port(int_patch, other_patch, txn=txn)
        other_br.add_patch_port(other_patch, int_patch, txn=txn)
    return _wait_ofport(int_br, int_patch), _wait_ofport(other_br, other_patch)


def add_tunnel_port(tun_br, name, tunnel_type, local_ip, remote_ip, vxlan_udp_port):
    """The tunnel port ``name`` to ``remote_ip`` (tunnel id from the flows: key=flow both
    ways); returns its OpenFlow port number."""
    options = {'remote_ip': remote_ip, 'local_ip': local_ip, 'in_key': 'flow',
               'out_key': 'flow'}
    if tunnel_type == const.TYPE_VXLAN:
        options['dst_port'] = str(vxlan_udp_port)
    tun_br.add_port(name, port_type=tunnel_type, options=options)
    return _wait_ofport(tun_br, name)


def _wait_ofport(bridge, port, attempts=100):
    for _ in range(attempts):
        ofport = bridge.get_ofport(port)
        if ofport:
            return ofport
        time.sleep(0.05)
    raise RuntimeError('port %s on %s got no OpenFlow port number' % (port, bridge.name))


def install_base_flows(int_br, links, overlay=None):
    """The flows that do not depend on any network (and the canaries)."""
    patches = [link.int_ofport for link in links.values()]
    if overlay is not None:
        patches.append(overlay.int_ofport)
    with int_br.flows.deferred() as batch:
        batch.add_specs(f.add_spec() for f in flows.integration_base())
        batch.add_specs(flows.integration_from_physical_drop(ofport).add_spec()
                        for ofport in patches)
    for link in links.values():
        with link.bridge.flows.deferred() as batch:
            batch.add_specs(f.add_spec() for f in flows.physical_base(link.phys_ofport))
    if overlay is not None:
        with overlay.bridge.flows.deferred() as batch:
            batch.add_specs(f.add_spec() for f in tunnel_flows.tunnel_base(
                overlay.tun_ofport, overlay.tunnel_types) + overlay.port_flows())


def canary_present(bridge):
    return bool(bridge.flows.dump_flows(table=flows.CANARY_TABLE))
