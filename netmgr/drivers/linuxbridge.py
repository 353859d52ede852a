"""Linux bridge: one bridge per network on each host, joined to the segment through a VXLAN
device, a VLAN sub-interface or the physical interface itself (flat)."""

from netmgr import constants as const
from netmgr.drivers import base

BRIDGE_PREFIX = 'brq'
# Linux interface names hold 15 characters: the prefix plus the start of the network id.
BRIDGE_NAME_LEN = 14


def bridge_name(network_id):
    return (BRIDGE_PREFIX + network_id)[:BRIDGE_NAME_LEN]


class LinuxbridgeDriver(base.L2Driver):
    name = 'linuxbridge'
    vif_type = 'bridge'
    agent_type = const.AGENT_TYPE_LINUXBRIDGE

    def vif_details(self, network_id, segment):
        return {'port_filter': True, 'bridge_name': bridge_name(network_id)}
