"""Server -> agent notifications (fanout on TOPIC_L2_AGENT), handed to the agent's queues.

Both L2 agents take every input below; one that has no use for an input ignores it. A
tunnel endpoint reaches them as a normalised IP address (one that is not is dropped here)."""

import ipaddress
import logging

import oslo_messaging

from netmgr.rpc import agent_notify_api

LOG = logging.getLogger(__name__)


class L2NotifyEndpoint:
    target = oslo_messaging.Target(version=agent_notify_api.VERSION)

    def __init__(self, agent):
        self.agent = agent

    def port_update(self, context, port, network_type=None, segmentation_id=None,
                    physical_network=None, **kwargs):
        self.agent.port_updated(port['id'])

    def port_delete(self, context, port_id, **kwargs):
        self.agent.port_deleted(port_id)

    def network_update(self, context, network, **kwargs):
        pass        # admin state of a network is not wired by this agent

    def network_delete(self, context, network_id, **kwargs):
        self.agent.network_deleted(network_id)

    def tunnel_update(self, context, tunnel_ip, tunnel_type, host=None, **kwargs):
        try:
            tunnel_ip = str(ipaddress.ip_address(tunnel_ip))
        except ValueError:
            LOG.warning('ignored tunnel endpoint %r of %s: not an IP address', tunnel_ip, host)
            return
        self.agent.tunnel_added(tunnel_ip, tunnel_type, host)

    def add_fdb_entries(self, context, fdb_entries, **kwargs):
        self.agent.fdb_added(fdb_entries)

    def remove_fdb_entries(self, context, fdb_entries, **kwargs):
        self.agent.fdb_removed(fdb_entries)

    def security_groups_rule_updated(self, context, security_groups, **kwargs):
        self.agent.security_groups_changed(security_groups)

    def security_groups_member_updated(self, context, security_groups, **kwargs):
        self.agent.security_groups_changed(security_groups)
