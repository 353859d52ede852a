"""Server -> L2 agents (fanout): what changed. Sent only after the change committed.
Paired with the L2 agent's notification endpoint.

Version history:
    1.0 - port_update, port_delete, network_update, network_delete
    1.1 - tunnel_update
    1.2 - security_groups_rule_updated, security_groups_member_updated
    1.3 - add_fdb_entries, remove_fdb_entries (L2 population of tunnel networks; the
          entries' format is in netmgr.services.l2pop)
"""

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport

VERSION = '1.3'
# Messages carry the version that introduced them, so agents of an older version still take
# the ones they know.
BASE_VERSION = '1.0'


class AgentNotifyAPI:
    def __init__(self, transport, topic=const.TOPIC_L2_AGENT):
        self.client = rpc_transport.get_client(transport, topic, BASE_VERSION, fanout=True)

    def _cast(self, context, method, version=None, **kwargs):
        options = {'version': version} if version else {}
        self.client.prepare(fanout=True, **options).cast(context, method, **kwargs)

    def port_update(self, context, port, network_type=None, segmentation_id=None,
                    physical_network=None):
        self._cast(context, 'port_update', port=port, network_type=network_type,
                   segmentation_id=segmentation_id, physical_network=physical_network)

    def port_delete(self, context, port_id):
        self._cast(context, 'port_delete', port_id=port_id)

    def network_update(self, context, network):
        self._cast(context, 'network_update', network=network)

    def network_delete(self, context, network_id):
        self._cast(context, 'network_delete', network_id=network_id)

    def tunnel_update(self, context, tunnel_ip, tunnel_type, host):
        self._cast(context, 'tunnel_update', version='1.1', tunnel_ip=tunnel_ip,
                   tunnel_type=tunnel_type, host=host)

    def security_groups_rule_updated(self, context, security_groups):
        self._cast(context, 'security_groups_rule_updated', version='1.2',
                   security_groups=list(security_groups))

    def security_groups_member_updated(self, context, security_groups):
        self._cast(context, 'security_groups_member_updated', version='1.2',
                   security_groups=list(security_groups))

    def add_fdb_entries(self, context, fdb_entries):
        """``fdb_entries``: {network_id: {'segment_id', 'network_type', 'ports': {tunnel_ip:
        [[mac, ip], ...]}}}; constants.FLOODING_ENTRY marks a host to flood to."""
        self._cast(context, 'add_fdb_entries', version='1.3', fdb_entries=fdb_entries)

    def remove_fdb_entries(self, context, fdb_entries):
        self._cast(context, 'remove_fdb_entries', version='1.3', fdb_entries=fdb_entries)
