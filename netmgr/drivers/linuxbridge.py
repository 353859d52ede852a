"""Linux bridge: one bridge per network on each host, joined to the segment through a VXLAN
device, a VLAN sub-interface or the physical interface itself (flat)."""

from netmgr import constants as const
from netmgr import devnames
from netmgr.drivers import base


class LinuxbridgeDriver(base.L2Driver):
    name = 'linuxbridge'
    vif_type = 'bridge'
    agent_type = const.AGENT_TYPE_LINUXBRIDGE

    def vif_details(self, network_id, segment):
        return {'port_filter': True, 'bridge_name': devnames.network_bridge_name(network_id)}
