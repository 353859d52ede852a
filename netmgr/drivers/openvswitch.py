"""Open vSwitch: ports are OVS ports on the integration bridge, tagged with a host-local VLAN
that the agent's flows translate to the network's segment."""

from netmgr import constants as const
from netmgr.drivers import base
from netmgr.drivers import segment as seg

INTEGRATION_BRIDGE = 'br-int'


class OpenvswitchDriver(base.L2Driver):
    name = 'openvswitch'
    vif_type = 'ovs'
    agent_type = const.AGENT_TYPE_OVS
    # Neutron's OVS agent carries every tunnel type (br-tun).
    supported_network_types = (seg.FLAT, seg.VLAN, seg.LOCAL) + seg.TUNNEL_TYPES

    def vif_details(self, network_id, segment):
        # Hybrid plug: security groups are iptables rules on a veth/bridge pair in front of
        # the OVS port.
        return {'port_filter': True, 'ovs_hybrid_plug': True,
                'bridge_name': INTEGRATION_BRIDGE}
