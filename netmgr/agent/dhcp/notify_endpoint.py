"""Server -> DHCP agent notifications (fanout on TOPIC_DHCP_AGENT), queued for the agent's
loop. Paired with netmgr.rpc.dhcp_notify_api."""

import oslo_messaging

from netmgr.rpc import dhcp_notify_api


class DhcpNotifyEndpoint:
    target = oslo_messaging.Target(version=dhcp_notify_api.VERSION)

    def __init__(self, agent):
        self.agent = agent

    def network_create_end(self, context, payload):
        self.agent.notify('network_create_end', payload)

    def network_update_end(self, context, payload):
        self.agent.notify('network_update_end', payload)

    def network_delete_end(self, context, payload):
        self.agent.notify('network_delete_end', payload)

    def subnet_create_end(self, context, payload):
        self.agent.notify('subnet_create_end', payload)

    def subnet_update_end(self, context, payload):
        self.agent.notify('subnet_update_end', payload)

    def subnet_delete_end(self, context, payload):
        self.agent.notify('subnet_delete_end', payload)

    def port_create_end(self, context, payload):
        self.agent.notify('port_create_end', payload)

    def port_update_end(self, context, payload):
        self.agent.notify('port_update_end', payload)

    def port_delete_end(self, context, payload):
        self.agent.notify('port_delete_end', payload)
