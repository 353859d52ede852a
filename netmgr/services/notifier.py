"""Tell agents what changed, after the change committed (never inside a transaction): L2
agents hear about ports and networks and where tunnel networks' ports live (FDB entries),
DHCP agents about networks, subnets and ports, L3 agents about routers.

A notification that cannot be sent (RabbitMQ away) is logged and dropped: the API call has
succeeded, and agents resynchronise on their own when they reconnect."""

import logging

from netmgr.rpc import agent_notify_api
from netmgr.rpc import dhcp_notify_api
from netmgr.rpc import l3_notify_api

LOG = logging.getLogger(__name__)


class NullNotifier:
    """When agent RPC is off (the API alone, unit tests): AgentNotifier's methods, doing
    nothing."""

    def network_created(self, context, network):
        pass

    def network_updated(self, context, network):
        pass

    def network_deleted(self, context, network_id):
        pass

    def subnet_created(self, context, subnet):
        pass

    def subnet_updated(self, context, subnet):
        pass

    def subnet_deleted(self, context, subnet_id, network_id):
        pass

    def port_created(self, context, port):
        pass

    def port_updated(self, context, port):
        pass

    def port_deleted(self, context, port_id, network_id):
        pass

    def routers_updated(self, context, router_ids):
        pass

    def router_deleted(self, context, router_id):
        pass

    def tunnel_added(self, context, tunnel_ip, tunnel_type, host):
        pass

    def security_groups_rule_updated(self, context, group_ids):
        pass

    def fdb_changed(self, context, added, removed):
        pass


class AgentNotifier:
    def __init__(self, transport, db, l2_driver):
        self.l2 = agent_notify_api.AgentNotifyAPI(transport)
        self.dhcp = dhcp_notify_api.DhcpAgentNotifyAPI(transport)
        self.l3 = l3_notify_api.L3AgentNotifyAPI(transport)
        self.db = db
        self.driver = l2_driver

    @staticmethod
    def _send(what, fn, *args, **kwargs):
        try:
            fn(*args, **kwargs)
        except Exception:  # the change is committed; agents resync when they can
            LOG.warning('could not notify agents of %s', what, exc_info=True)

    def network_created(self, context, network):
        self._send('network %s create' % network['id'], self.dhcp.network_create_end,
                   context, network)

    def network_updated(self, context, network):
        what = 'network %s update' % network['id']
        self._send(what, self.l2.network_update, context, network)
        self._send(what, self.dhcp.network_update_end, context, network)

    def network_deleted(self, context, network_id):
        what = 'network %s delete' % network_id
        self._send(what, self.l2.network_delete, context, network_id)
        self._send(what, self.dhcp.network_delete_end, context, network_id)

    def subnet_created(self, context, subnet):
        self._send('subnet %s create' % subnet['id'], self.dhcp.subnet_create_end, context,
                   subnet)

    def subnet_updated(self, context, subnet):
        self._send('subnet %s update' % subnet['id'], self.dhcp.subnet_update_end, context,
                   subnet)

    def subnet_deleted(self, context, subnet_id, network_id):
        self._send('subnet %s delete' % subnet_id, self.dhcp.subnet_delete_end, context,
                   subnet_id, network_id)

    def port_created(self, context, port):
        what = 'port %s create' % port['id']
        self._send(what, self.dhcp.port_create_end, context, port)
        if port.get('security_groups'):     # the groups' members changed
            self._send(what, self.l2.security_groups_member_updated, context,
                       port['security_groups'])

    def port_updated(self, context, port):
        with self.db.reader() as session:
            segment = self.driver.segment_for_network(session, port['network_id']) or {}
        what = 'port %s update' % port['id']
        self._send(what, self.l2.port_update, context, port,
                   network_type=segment.get('network_type'),
                   segmentation_id=segment.get('segmentation_id'),
                   physical_network=segment.get('physical_network'))
        self._send(what, self.dhcp.port_update_end, context, port)

    def port_deleted(self, context, port_id, network_id):
        what = 'port %s delete' % port_id
        self._send(what, self.l2.port_delete, context, port_id)
        self._send(what, self.dhcp.port_delete_end, context, port_id, network_id)

    def routers_updated(self, context, router_ids):
        router_ids = sorted({r for r in router_ids if r})
        if router_ids:
            self._send('routers %s update' % ','.join(router_ids), self.l3.routers_updated,
                       context, router_ids)

    def router_deleted(self, context, router_id):
        self._send('router %s delete' % router_id, self.l3.router_deleted, context, router_id)

    def tunnel_added(self, context, tunnel_ip, tunnel_type, host):
        self._send('tunnel endpoint %s of %s' % (tunnel_ip, host), self.l2.tunnel_update,
                   context, tunnel_ip, tunnel_type, host)

    def security_groups_rule_updated(self, context, group_ids):
        group_ids = sorted(set(group_ids))
        if group_ids:
            self._send('rules of security groups %s' % ','.join(group_ids),
                       self.l2.security_groups_rule_updated, context, group_ids)

    def fdb_changed(self, context, added, removed):
        """L2 population: ``removed`` then ``added`` FDB entries (netmgr.services.l2pop's
        format), one fanout each, skipped when empty; removing first lets a port's changed
        fixed IPs end with its new entries in place."""
        if removed:
            self._send('removed FDB entries', self.l2.remove_fdb_entries, context, removed)
        if added:
            self._send('added FDB entries', self.l2.add_fdb_entries, context, added)
