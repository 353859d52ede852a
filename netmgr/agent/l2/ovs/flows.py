"""The OpenFlow rules of the OVS agent, as data (rendered for ovs-ofctl).

br-int: VM ports are access ports tagged with their network's local VLAN and switched by
NORMAL. Frames coming up from a physical bridge (through its patch port) are re-tagged from
the segment to the local VLAN; anything else from that patch is dropped. A port in the dead
VLAN also gets a drop rule on its in_port, so it can neither send nor receive.

Physical bridge: frames coming down from br-int are re-tagged from the local VLAN to the
segment (vlan) or untagged (flat); anything else from br-int is dropped; frames from the wire
go to NORMAL (br-int's inbound rules pick what belongs to this host).

A canary rule in a table nothing else uses shows whether ovs-vswitchd lost its flows (it
restarted): when it is gone, every rule is programmed again.
"""

import dataclasses

from netmgr.agent.l2.ovs import local_vlans
from netmgr import constants as const

CANARY_TABLE = 23
UNTAGGED = '0xffff'     # ovs-ofctl's dl_vlan value for "no 802.1Q header"

# Network types this agent wires (tunnel types: those of [AGENT] tunnel_types); others leave
# the port in the dead VLAN.
SUPPORTED_TYPES = (const.TYPE_FLAT, const.TYPE_VLAN, const.TYPE_LOCAL) + const.TUNNEL_TYPES


@dataclasses.dataclass(frozen=True)
class Flow:
    table: int
    priority: int
    match: tuple = ()          # ((field, value), ...) in rendering order
    actions: str = 'drop'

    def _match_text(self):
        return ','.join(['table=%d' % self.table] +
                        ['%s=%s' % (k, v) for k, v in self.match])

    def add_spec(self):
        """The line `ovs-ofctl add-flows BRIDGE -` takes."""
        return '%s,priority=%d,actions=%s' % (self._match_text(), self.priority, self.actions)

    def delete_spec(self):
        """The (non-strict) match `ovs-ofctl del-flows BRIDGE -` takes."""
        return self._match_text()


class Changes:
    """Flow changes on several bridges, applied as one batch per bridge (deletes first)."""

    def __init__(self):
        self.adds, self.deletes = {}, {}

    def add(self, bridge, flow):
        self.adds.setdefault(bridge, []).append(flow.add_spec())

    def delete(self, bridge, flow):
        self.deletes.setdefault(bridge, []).append(flow.delete_spec())

    def __bool__(self):
        return bool(self.adds or self.deletes)

    def apply(self):
        for bridge in list(dict.fromkeys(list(self.deletes) + list(self.adds))):
            with bridge.flows.deferred() as batch:
                batch.delete_specs(self.deletes.get(bridge, []))
                batch.add_specs(self.adds.get(bridge, []))
        self.adds, self.deletes = {}, {}


def integration_base():
    return [Flow(0, 0, (), 'NORMAL'), Flow(CANARY_TABLE, 0, (), 'drop')]


def canary():
    return Flow(CANARY_TABLE, 0, (), 'drop')


def integration_from_physical_drop(int_ofport):
    return Flow(0, 2, (('in_port', int_ofport),), 'drop')


def integration_inbound(int_ofport, mapping):
    """br-int: frames of this network's segment coming up from the physical bridge."""
    if mapping.network_type == const.TYPE_VLAN:
        vlan_match = mapping.segmentation_id
    elif mapping.network_type == const.TYPE_FLAT:
        vlan_match = UNTAGGED
    else:
        return None
    return Flow(0, 3, (('in_port', int_ofport), ('dl_vlan', vlan_match)),
                'mod_vlan_vid:%d,NORMAL' % mapping.vlan)


def physical_base(phys_ofport):
    return [Flow(0, 0, (), 'NORMAL'), Flow(0, 2, (('in_port', phys_ofport),), 'drop')]


def physical_outbound(phys_ofport, mapping):
    """Physical bridge: this network's frames coming down from br-int, onto the wire."""
    if mapping.network_type == const.TYPE_VLAN:
        action = 'mod_vlan_vid:%d,NORMAL' % mapping.segmentation_id
    elif mapping.network_type == const.TYPE_FLAT:
        action = 'strip_vlan,NORMAL'
    else:
        return None
    return Flow(0, 4, (('in_port', phys_ofport), ('dl_vlan', mapping.vlan)), action)


def dead_port_drop(ofport):
    return Flow(0, 2, (('in_port', ofport),), 'drop')


def local_vlan_flows(mapping, int_ofport, phys_ofport):
    """(br-int flow, physical bridge flow) of one network on this host; None parts when the
    network has no physical side (local)."""
    return (integration_inbound(int_ofport, mapping),
            physical_outbound(phys_ofport, mapping))


def is_dead(vlan):
    return vlan == local_vlans.DEAD_VLAN
