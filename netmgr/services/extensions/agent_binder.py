"""Binding a port to a host: the L2 driver's VIF type when a live, enabled agent of the
driver's kind on that host can serve the port's network segment; binding_failed otherwise."""

import json

from netmgr.api.definitions import portbindings as pb
from netmgr.drivers import segment as seg


def agent_serves(configurations, segment):
    """Whether an agent reporting ``configurations`` can wire ``segment`` (a dict)."""
    network_type = segment['network_type']
    if network_type in (seg.FLAT, seg.VLAN):
        mappings = (configurations.get('bridge_mappings') or
                    configurations.get('interface_mappings') or {})
        return segment['physical_network'] in mappings
    if network_type in seg.TUNNEL_TYPES:
        return network_type in (configurations.get('tunnel_types') or [])
    return network_type == seg.LOCAL


class AgentBinder:
    # Details an agent reports about itself that the hypervisor needs to plug the port.
    AGENT_DETAILS = ('datapath_type', 'ovs_hybrid_plug', 'bridge_name')

    def __init__(self, l2_driver, agents):
        self.driver = l2_driver
        self.agents = agents

    def bind(self, session, port, host, vnic_type):
        failed = (pb.VIF_TYPE_BINDING_FAILED, {})
        if vnic_type != pb.VNIC_NORMAL:
            return failed
        segment = self.driver.segment_for_network(session, port['network_id'])
        if segment is None:
            return failed
        for agent in self.agents.alive_agents(self.driver.agent_type, host, session=session):
            configurations = json.loads(agent['configurations'] or '{}')
            if agent_serves(configurations, segment):
                details = dict(self.driver.vif_details(port['network_id'], segment))
                details.update({k: configurations[k] for k in self.AGENT_DETAILS
                                if k in configurations})
                if configurations.get('integration_bridge'):   # the agent's own br-int
                    details['bridge_name'] = configurations['integration_bridge']
                return self.driver.vif_type, details
        return failed
