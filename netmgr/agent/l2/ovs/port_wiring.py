"""Deciding and programming what one batch of device details means for br-int: tags,
other_config, per-network flows, dead VLAN drops. Pure bookkeeping plus bridge calls, so it can
be tested with fake bridges.

Each network reaches the other hosts through a "link": its physical network's PhysicalLink
(flat, vlan), or the Overlay of br-tun (tunnel types); local networks have none. A link gives
the network's flows (``flows(int_br, mapping)``) and what removes them (``cleanup``)."""

import logging

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr import constants as const

LOG = logging.getLogger(__name__)
ADMIN_DOWN = 'admin state down'


def unwireable_reason(details, links, overlay=None):
    """Why the server's details do not allow wiring the port (it then goes to the dead
    VLAN), or None when they do."""
    if not details.get('port_id') or not details.get('network_id'):
        return 'not bound to this host'
    if not details.get('admin_state_up'):
        return ADMIN_DOWN
    network_type = details.get('network_type')
    if network_type not in flows.SUPPORTED_TYPES:
        return 'network type %s is not carried by this agent' % network_type
    if network_type in const.TUNNEL_TYPES:
        if overlay is None or not overlay.carries(network_type):
            return 'no tunnel type %s configured ([AGENT] tunnel_types)' % network_type
        return None
    if network_type != const.TYPE_LOCAL and details.get('physical_network') not in links:
        return 'physical network %s is not mapped ([OVS] bridge_mappings)' % (
            details.get('physical_network'))
    return None


class PortWiring:
    def __init__(self, int_br, links, vlans=None, overlay=None):
        self.int_br = int_br
        self.links = links
        self.overlay = overlay      # tunnels.Overlay, None without tunnel types
        self.vlans = vlans or local_vlans.LocalVlanManager()
        self.dead = {}          # port id -> ofport with a drop rule

    def link(self, mapping):
        if mapping.network_type in const.TUNNEL_TYPES:
            return self.overlay
        return self.links.get(mapping.physical_network)

    def network_flows(self, mapping):
        """[(bridge, Flow)] of one network on this host."""
        link = self.link(mapping)
        return link.flows(self.int_br, mapping) if link else []

    def wire(self, vif_ports, details_list):
        """Program the ports ``vif_ports`` ({port id: VifPort}) from the server's details;
        returns (up, down): ids to report ACTIVE and DOWN."""
        up, down = [], []
        changes = flows.Changes()
        with self.int_br.ovsdb.transaction() as txn:
            for details in details_list:
                port_id = details['device']
                vif = vif_ports.get(port_id)
                if vif is None:
                    continue
                reason = unwireable_reason(details, self.links, self.overlay)
                if reason is None:
                    mapping, created = self.vlans.provision(
                        details['network_id'], details['network_type'],
                        details.get('physical_network'), details.get('segmentation_id'))
                    self._forget(port_id, changes, keep_network=mapping.network_id)
                    self.vlans.add_port(mapping.network_id, port_id)
                    self.int_br.set_port_vlan(vif.port_name, mapping.vlan,
                                              mapping.other_config(), txn=txn)
                    if created:
                        for bridge, flow in self.network_flows(mapping):
                            changes.add(bridge, flow)
                    ofport = self.dead.pop(port_id, None)
                    if ofport:
                        changes.delete(self.int_br, flows.dead_port_drop(ofport))
                    up.append(port_id)
                else:
                    (LOG.info if reason == ADMIN_DOWN else LOG.warning)(
                        'port %s stays down: %s', port_id, reason)
                    self._forget(port_id, changes)
                    self.int_br.set_port_vlan(vif.port_name, local_vlans.DEAD_VLAN, {},
                                              txn=txn)
                    if vif.ofport:
                        self.dead[port_id] = vif.ofport
                        changes.add(self.int_br, flows.dead_port_drop(vif.ofport))
                    if details.get('port_id'):
                        down.append(port_id)
        changes.apply()
        return up, down

    def remove(self, port_ids):
        """Forget ports gone from br-int; reclaims networks left without ports here."""
        changes = flows.Changes()
        for port_id in port_ids:
            self._forget(port_id, changes)
            ofport = self.dead.pop(port_id, None)
            if ofport:
                changes.delete(self.int_br, flows.dead_port_drop(ofport))
        changes.apply()

    def reclaim(self, network_id):
        mapping = self.vlans.reclaim(network_id)
        if mapping is not None:
            changes = flows.Changes()
            self._cleanup(mapping, changes)
            changes.apply()
        return mapping

    def _cleanup(self, mapping, changes):
        link = self.link(mapping)
        for bridge, flow in (link.cleanup(self.int_br, mapping) if link else []):
            changes.delete(bridge, flow)

    def _forget(self, port_id, changes, keep_network=None):
        network_id = self.vlans.network_of(port_id)
        if network_id is None or network_id == keep_network:
            return
        last = self.vlans.remove_port(port_id)
        if last is not None:
            self.vlans.reclaim(last.network_id)
            self._cleanup(last, changes)

    def restore(self, vif_ports, port_vlans):
        """Rebuild local VLANs from the ports' tags and other_config after a restart."""
        for vif in vif_ports:
            tag, other = port_vlans.get(vif.port_name, (None, {}))
            if not tag or flows.is_dead(tag) or not other.get('net_uuid'):
                continue
            seg = other.get('segmentation_id')
            mapping = self.vlans.restore(other['net_uuid'], tag, other.get('network_type'),
                                         other.get('physical_network') or None,
                                         int(seg) if seg else None)
            if mapping is not None:
                self.vlans.add_port(mapping.network_id, vif.iface_id)

    def reprogram_all(self):
        """Every per-network and dead-port flow again (after ovs-vswitchd lost them)."""
        changes = flows.Changes()
        for mapping in self.vlans.networks():
            for bridge, flow in self.network_flows(mapping):
                changes.add(bridge, flow)
        for ofport in self.dead.values():
            changes.add(self.int_br, flows.dead_port_drop(ofport))
        changes.apply()
