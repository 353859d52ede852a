"""Serve agent RPC in a server worker: one oslo.messaging server per topic, sharing the
worker's services (and so its database engine). Every API worker consumes the same queues,
so RabbitMQ spreads agent calls over them."""

import logging

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport
from netmgr.services.rpc import dhcp
from netmgr.services.rpc import l2
from netmgr.services.rpc import l3
from netmgr.services.rpc import reports

LOG = logging.getLogger(__name__)


class RpcService:
    def __init__(self, conf, services, transport=None):
        """``services``: the worker's netmgr.wiring.Services; each endpoint is given the
        services it calls."""
        self.transport = transport or rpc_transport.get_transport(conf)
        endpoints = {
            const.TOPIC_REPORTS: [reports.ReportsEndpoint(services.agents)],
            const.TOPIC_PLUGIN: [
                l2.PluginEndpoint(services.devices, services.tunnels, services.sg_info,
                                  services.l2pop)],
            const.TOPIC_DHCP_PLUGIN: [
                dhcp.DhcpRpcEndpoint(services.networks, services.subnets, services.ports)],
            const.TOPIC_L3_PLUGIN: [l3.L3RpcEndpoint(services.ports, services.router_sync)],
        }
        self.servers = [rpc_transport.get_server(self.transport, topic, conf.host, handlers)
                        for topic, handlers in endpoints.items()]

    def start(self):
        for server in self.servers:
            server.start()
        LOG.info('agent RPC served on %d topic(s)', len(self.servers))
        return self

    def stop(self):
        for server in self.servers:
            server.stop()
        for server in self.servers:
            server.wait()
