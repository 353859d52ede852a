"""The server's side of the L3 agents' RPC (TOPIC_L3_PLUGIN), paired with
netmgr.rpc.l3_plugin_api.L3PluginApi (see it for the version history).

sync_routers answers an agent with the routers of its host and binds their ports to that host
(binding:host_id) when they are not bound yet, as Neutron's sync_routers does, so the L2 agent
of that host wires the qr-/qg- devices the L3 agent plugs. Binding goes through the port
service, which computes the VIF type and tells the L2 agents. The router is read in one
transaction; each binding is the port service's own (once per port).
"""

import logging

import oslo_messaging

from netmgr.api.definitions import portbindings as pb
from netmgr import context as nm_context
from netmgr import exceptions
from netmgr.rpc import l3_plugin_api

LOG = logging.getLogger(__name__)


class L3RpcEndpoint:
    target = oslo_messaging.Target(version=l3_plugin_api.VERSION)

    def __init__(self, ports, router_sync):
        """``ports``: the PortService; ``router_sync``: the RouterSync."""
        self.ports = ports
        self.sync = router_sync
        self._admin = nm_context.admin_context()

    def sync_routers(self, context, host, router_ids=None):
        """The routers of ``host``: those whose ports are bound to it or to no host yet
        (a router is served by the first L3 agent that asks for it, as when Neutron
        schedules it to one agent)."""
        routers = []
        for router in self.sync.routers(router_ids):
            ports = ([router['gw_port']] if router['gw_port'] else []) + router['_interfaces']
            hosts = {port.get(pb.HOST_ID) for port in ports} - {'', None}
            if host and hosts and host not in hosts:
                continue
            if router['gw_port'] is not None:
                router['gw_port'] = self._bound(router['gw_port'], host)
            router['_interfaces'] = [self._bound(port, host)
                                     for port in router['_interfaces']]
            routers.append(router)
        return routers

    def _bound(self, port, host):
        if port.get(pb.HOST_ID) or not host:
            return port
        LOG.debug('binding router port %s to %s', port['id'], host)
        try:
            updated = self.ports.update(self._admin, port['id'], {pb.HOST_ID: host})
        except exceptions.PortNotFound:     # removed meanwhile: the next sync drops it
            return port
        updated['subnets'] = port['subnets']
        return updated

    def update_floatingip_statuses(self, context, router_id, fip_statuses):
        return self.sync.set_fip_statuses(router_id, fip_statuses)
