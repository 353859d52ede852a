"""Tell L2 agents what changed, after the change committed (never inside a transaction).

A notification that cannot be sent (RabbitMQ away) is logged and dropped: the API call has
succeeded, and agents resynchronise on their own when they reconnect."""

import logging

from netmgr.rpc import agent_notify_api

LOG = logging.getLogger(__name__)


class NullNotifier:
    """When agent RPC is off (the API alone, unit tests)."""

    def port_updated(self, context, port):
        pass

    def port_deleted(self, context, port_id):
        pass

    def network_updated(self, context, network):
        pass

    def network_deleted(self, context, network_id):
        pass


class AgentNotifier:
    def __init__(self, transport, db, l2_driver):
        self.api = agent_notify_api.AgentNotifyAPI(transport)
        self.db = db
        self.driver = l2_driver

    def _send(self, what, fn, *args, **kwargs):
        try:
            fn(*args, **kwargs)
        except Exception:  # the change is committed; agents resync when they can
            LOG.warning('could not notify agents of %s', what, exc_info=True)

    def port_updated(self, context, port):
        with self.db.reader() as session:
            segment = self.driver.segment_for_network(session, port['network_id']) or {}
        self._send('port %s update' % port['id'], self.api.port_update, context, port,
                   network_type=segment.get('network_type'),
                   segmentation_id=segment.get('segmentation_id'),
                   physical_network=segment.get('physical_network'))

    def port_deleted(self, context, port_id):
        self._send('port %s delete' % port_id, self.api.port_delete, context, port_id)

    def network_updated(self, context, network):
        self._send('network %s update' % network['id'], self.api.network_update, context,
                   network)

    def network_deleted(self, context, network_id):
        self._send('network %s delete' % network_id, self.api.network_delete, context,
                   network_id)
