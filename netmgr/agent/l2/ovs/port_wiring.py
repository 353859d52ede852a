"""Deciding and programming what one batch of device details means for br-int: tags,
other_config, per-network flows, dead VLAN drops. Pure bookkeeping plus bridge calls, so it can
be tested with fake bridges."""

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr import constants as const


def is_wireable(details, links):
    """Whether the server's details allow wiring the port (else it goes to the dead VLAN)."""
    if not details.get('port_id') or not details.get('network_id'):
        return False
    if not details.get('admin_state_up'):
        return False
    network_type = details.get('network_type')
    if network_type not in flows.SUPPORTED_TYPES:
        return False
    if network_type == const.TYPE_LOCAL:
        return True
    return details.get('physical_network') in links


class PortWiring:
    def __init__(self, int_br, links, vlans=None):
        self.int_br = int_br
        self.links = links
        self.vlans = vlans or local_vlans.LocalVlanManager()
        self.dead = {}          # port id -> ofport with a drop rule

    def network_flows(self, mapping):
        """[(bridge, Flow)] of one network on this host."""
        link = self.links.get(mapping.physical_network)
        if link is None:
            return []
        inbound, outbound = flows.local_vlan_flows(mapping, link.int_ofport, link.phys_ofport)
        return [(b, f) for b, f in ((self.int_br, inbound), (link.bridge, outbound)) if f]

    def wire(self, vif_ports, details_list):
        """Program the ports ``vif_ports`` ({port id: VifPort}) from the server's details;
        returns (up, down): ids to report ACTIVE and DOWN."""
        up, down = [], []
        adds, deletes = {}, {}
        with self.int_br.ovsdb.transaction() as txn:
            for details in details_list:
                port_id = details['device']
                vif = vif_ports.get(port_id)
                if vif is None:
                    continue
                if is_wireable(details, self.links):
                    mapping, created = self.vlans.provision(
                        details['network_id'], details['network_type'],
                        details.get('physical_network'), details.get('segmentation_id'))
                    self._forget(port_id, deletes, keep_network=mapping.network_id)
                    self.vlans.add_port(mapping.network_id, port_id)
                    self.int_br.set_port_vlan(vif.port_name, mapping.vlan,
                                              mapping.other_config(), txn=txn)
                    if created:
                        for bridge, flow in self.network_flows(mapping):
                            adds.setdefault(bridge, []).append(flow.add_spec())
                    ofport = self.dead.pop(port_id, None)
                    if ofport:
                        deletes.setdefault(self.int_br, []).append(
                            flows.dead_port_drop(ofport).delete_spec())
                    up.append(port_id)
                else:
                    self._forget(port_id, deletes)
                    self.int_br.set_port_vlan(vif.port_name, local_vlans.DEAD_VLAN, {},
                                              txn=txn)
                    if vif.ofport:
                        self.dead[port_id] = vif.ofport
                        adds.setdefault(self.int_br, []).append(
                            flows.dead_port_drop(vif.ofport).add_spec())
                    if details.get('port_id'):
                        down.append(port_id)
        self._apply(adds, deletes)
        return up, down

    def remove(self, port_ids):
        """Forget ports gone from br-int; reclaims networks left without ports here."""
        deletes = {}
        for port_id in port_ids:
            self._forget(port_id, deletes)
            ofport = self.dead.pop(port_id, None)
            if ofport:
                deletes.setdefault(self.int_br, []).append(
                    flows.dead_port_drop(ofport).delete_spec())
        self._apply({}, deletes)

    def reclaim(self, network_id):
        mapping = self.vlans.reclaim(network_id)
        if mapping is not None:
            deletes = {}
            for bridge, flow in self.network_flows(mapping):
                deletes.setdefault(bridge, []).append(flow.delete_spec())
            self._apply({}, deletes)
        return mapping

    def _forget(self, port_id, deletes, keep_network=None):
        network_id = self.vlans.network_of(port_id)
        if network_id is None or network_id == keep_network:
            return
        last = self.vlans.remove_port(port_id)
        if last is not None:
            self.vlans.reclaim(last.network_id)
            for bridge, flow in self.network_flows(last):
                deletes.setdefault(bridge, []).append(flow.delete_spec())

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
        adds = {}
        for mapping in self.vlans.networks():
            for bridge, flow in self.network_flows(mapping):
                adds.setdefault(bridge, []).append(flow.add_spec())
        for ofport in self.dead.values():
            adds.setdefault(self.int_br, []).append(flows.dead_port_drop(ofport).add_spec())
        self._apply(adds, {})

    @staticmethod
    def _apply(adds, deletes):
        for bridge in set(adds) | set(deletes):
            with bridge.flows.deferred() as batch:
                batch.delete_specs(deletes.get(bridge, []))
                batch.add_specs(adds.get(bridge, []))
