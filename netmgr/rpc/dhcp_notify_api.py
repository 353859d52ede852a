"""Server -> DHCP agents (fanout): which networks, subnets and ports changed, after commit.
Paired with the DHCP agent's notification endpoint. The method names are Neutron's.

Version history:
    1.0 - network/subnet/port _create_end, _update_end, _delete_end, each with ``payload``
"""

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport

VERSION = '1.0'


class DhcpAgentNotifyAPI:
    def __init__(self, transport, topic=const.TOPIC_DHCP_AGENT):
        self.client = rpc_transport.get_client(transport, topic, VERSION, fanout=True)

    def _cast(self, context, method, payload):
        self.client.prepare(fanout=True).cast(context, method, payload=payload)

    def network_create_end(self, context, network):
        self._cast(context, 'network_create_end', {'network': network})

    def network_update_end(self, context, network):
        self._cast(context, 'network_update_end', {'network': network})

    def network_delete_end(self, context, network_id):
        self._cast(context, 'network_delete_end', {'network_id': network_id})

    def subnet_create_end(self, context, subnet):
        self._cast(context, 'subnet_create_end', {'subnet': subnet})

    def subnet_update_end(self, context, subnet):
        self._cast(context, 'subnet_update_end', {'subnet': subnet})

    def subnet_delete_end(self, context, subnet_id, network_id):
        self._cast(context, 'subnet_delete_end',
                   {'subnet_id': subnet_id, 'network_id': network_id})

    def port_create_end(self, context, port):
        self._cast(context, 'port_create_end', {'port': port})

    def port_update_end(self, context, port):
        self._cast(context, 'port_update_end', {'port': port})

    def port_delete_end(self, context, port_id, network_id):
        self._cast(context, 'port_delete_end', {'port_id': port_id, 'network_id': network_id})
