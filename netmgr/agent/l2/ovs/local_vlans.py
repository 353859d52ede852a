"""Local VLANs: on each host, every network with ports here gets a VLAN id of its own on the
integration bridge; the physical bridges translate it to and from the network's segment.

The map is rebuilt from the bridge after a restart (each port carries its network's mapping in
other_config), so existing ports keep their tag and their traffic.
"""

import dataclasses

from netmgr import exceptions

DEAD_VLAN = 4095        # ports nobody may talk to: unbound, admin-down or unknown
MIN_VLAN, MAX_VLAN = 1, 4094


@dataclasses.dataclass
class LocalVlan:
    network_id: str
    vlan: int
    network_type: str
    physical_network: str | None
    segmentation_id: int | None
    ports: set = dataclasses.field(default_factory=set)

    def segment(self):
        return (self.network_type, self.physical_network, self.segmentation_id)

    def other_config(self):
        """What is written on each port so a restarted agent can rebuild this mapping."""
        return {'net_uuid': self.network_id, 'network_type': self.network_type,
                'physical_network': self.physical_network or '',
                'segmentation_id': '' if self.segmentation_id is None
                else str(self.segmentation_id)}


class LocalVlanManager:
    def __init__(self, first=MIN_VLAN, last=MAX_VLAN):
        self._free = set(range(first, last + 1))
        self._by_network = {}
        self._network_of_port = {}

    def get(self, network_id):
        return self._by_network.get(network_id)

    def networks(self):
        return list(self._by_network.values())

    def provision(self, network_id, network_type, physical_network, segmentation_id):
        """The network's mapping, made on first need. Returns (mapping, created)."""
        mapping = self._by_network.get(network_id)
        if mapping is not None:
            return mapping, False
        if not self._free:
            raise exceptions.LocalVlanExhausted(network_id=network_id)
        vlan = min(self._free)
        self._free.discard(vlan)
        mapping = LocalVlan(network_id, vlan, network_type, physical_network, segmentation_id)
        self._by_network[network_id] = mapping
        return mapping, True

    def restore(self, network_id, vlan, network_type, physical_network, segmentation_id):
        """Take back a mapping found on the bridge after a restart. Returns it, or None when
        the record is unusable (another network already holds that VLAN)."""
        mapping = self._by_network.get(network_id)
        if mapping is not None:
            return mapping if mapping.vlan == vlan else None
        if vlan not in self._free:
            return None
        self._free.discard(vlan)
        mapping = LocalVlan(network_id, vlan, network_type, physical_network, segmentation_id)
        self._by_network[network_id] = mapping
        return mapping

    def add_port(self, network_id, port_id):
        old = self._network_of_port.get(port_id)
        if old is not None and old != network_id:
            self.remove_port(port_id)
        self._by_network[network_id].ports.add(port_id)
        self._network_of_port[port_id] = network_id

    def remove_port(self, port_id):
        """Forget a port; returns its network's mapping if that was its last port here."""
        network_id = self._network_of_port.pop(port_id, None)
        mapping = self._by_network.get(network_id)
        if mapping is None:
            return None
        mapping.ports.discard(port_id)
        return mapping if not mapping.ports else None

    def network_of(self, port_id):
        return self._network_of_port.get(port_id)

    def reclaim(self, network_id):
        mapping = self._by_network.pop(network_id, None)
        if mapping is not None:
            for port_id in mapping.ports:
                self._network_of_port.pop(port_id, None)
            self._free.add(mapping.vlan)
        return mapping
