"""The server's side of DHCP agent RPC (TOPIC_DHCP_PLUGIN): network infos for the agents and
their DHCP ports. Paired with netmgr.rpc.dhcp_plugin_api (its docstring has the version
history). Ports are made and changed through the port service, so IPAM allocates their
addresses and every agent hears about them."""

import logging

import oslo_messaging

from netmgr.api.definitions import portbindings as pb
from netmgr.db.queries import listing
from netmgr import constants as const
from netmgr import context as nm_context
from netmgr import exceptions
from netmgr.rpc import dhcp_plugin_api
from netmgr.services.core import ports as ports_mod

LOG = logging.getLogger(__name__)


def _query(**filters):
    return listing.ListQuery(filters={k: list(v) for k, v in filters.items()})


def _dhcp_subnet_ids(subnets):
    return [s['id'] for s in subnets if s['enable_dhcp'] and (
        s['ip_version'] == const.IP_VERSION_4 or
        s.get('ipv6_address_mode') == const.IPV6_DHCPV6_STATEFUL)]


class DhcpRpcEndpoint:
    target = oslo_messaging.Target(version=dhcp_plugin_api.VERSION)

    def __init__(self, networks, subnets, ports):
        """The network, subnet and port services."""
        self.networks = networks
        self.subnets = subnets
        self.ports = ports
        self.context = nm_context.admin_context()

    def _infos(self, networks):
        if not networks:
            return []
        ids = [n['id'] for n in networks]
        subnets, ports = {}, {}
        for subnet in self.subnets.list(self.context, _query(network_id=ids)):
            subnets.setdefault(subnet['network_id'], []).append(subnet)
        for port in self.ports.list(self.context, _query(network_id=ids)):
            ports.setdefault(port['network_id'], []).append(port)
        return [dict(n, subnets=subnets.get(n['id'], []), ports=ports.get(n['id'], []))
                for n in networks]

    def get_active_networks_info(self, context, host=None):
        subnets = self.subnets.list(self.context, _query(enable_dhcp=[True]))
        ids = sorted({s['network_id'] for s in subnets})
        if not ids:
            return []
        return self._infos(self.networks.list(self.context, _query(id=ids)))

    def get_network_info(self, context, network_id, host=None):
        try:
            network = self.networks.get(self.context, network_id)
        except exceptions.NotFound:
            return None
        return self._infos([network])[0]

    def _find_port(self, network_id, device_id):
        found = self.ports.list(self.context, _query(
            network_id=[network_id], device_id=[device_id],
            device_owner=[const.DEVICE_OWNER_DHCP]))
        return found[0] if found else None

    def get_dhcp_port(self, context, network_id, device_id, host=None):
        try:
            network = self.networks.get(self.context, network_id)
        except exceptions.NotFound:
            return None
        subnets = self.subnets.list(self.context, _query(network_id=[network_id]))
        wanted = _dhcp_subnet_ids(subnets)
        if not wanted:
            return None
        port = self._find_port(network_id, device_id)
        if port is None:
            return self.ports.create(self.context, ports_mod.owned_port(
                network_id, const.DEVICE_OWNER_DHCP, device_id, tenant_id=network['tenant_id'],
                fixed_ips=[{'subnet_id': s} for s in wanted],
                attributes={pb.HOST_ID: host or ''}))
        changes = {}
        have = [ip for ip in port['fixed_ips'] if ip['subnet_id'] in wanted]
        missing = set(wanted) - {ip['subnet_id'] for ip in have}
        if missing or len(have) != len(port['fixed_ips']):
            changes['fixed_ips'] = have + [{'subnet_id': s} for s in sorted(missing)]
        if host and port.get(pb.HOST_ID) != host:
            changes[pb.HOST_ID] = host
        if changes:
            port = self.ports.update(self.context, port['id'], changes)
        return port

    def release_dhcp_port(self, context, network_id, device_id, host=None):
        port = self._find_port(network_id, device_id)
        if port is None:
            return False
        try:
            self.ports.delete(self.context, port['id'])
        except exceptions.NotFound:
            return False
        LOG.debug('released DHCP port %s of network %s', port['id'], network_id)
        return True
