"""What the managers share: finding their networks by marker, making a network with its subnet
(and router) or nothing, and what network_info says about a network."""

import importlib
import random
import time

import netaddr

from netmgr import constants as const
from netmgr import exceptions

# A manager's networks carry this description; it is how they are found again.
MARKER = 'nova-network:%s'
SHARED_OWNER = 'nova-network'      # tenant of the shared flat network and its router
SUBNET_WAIT = 10.0                 # seconds to wait for a network another boot is making
RIVAL_BACKOFF = 0.2                # at most this many seconds before retrying after a tie
ATTEMPTS = 20                      # tries when other boots keep getting in the way
MANAGERS = ('FlatManager', 'FlatDHCPManager', 'VlanManager')


class NoMoreNetworks(exceptions.ServiceUnavailable):
    """nova.exception.NoMoreNetworks: VlanManager has given out num_networks networks."""
    message = 'No more available networks (%(reason)s).'


def load(conf, client):
    """The manager ``conf.network_manager`` names (a dotted path or a bare class name), or
    None when it is unset."""
    path = conf.network_manager
    if not path:
        return None
    module_name, _, class_name = path.rpartition('.')
    if class_name not in MANAGERS or module_name not in ('', 'netmgr.managers'):
        raise ValueError('network_manager %r is not one of %s' % (
            path, ', '.join('netmgr.managers.' + m for m in MANAGERS)))
    module = importlib.import_module('netmgr.managers')
    return getattr(module, class_name)(conf, client)


class NetworkManager:
    """``client``: a netmgr.client.Client acting as admin."""

    kind = None          # the marker's suffix
    dhcp = False         # DHCP on the managers' subnets
    network_type = None  # provider:network_type on ``physical_network``

    def __init__(self, conf, client):
        self.conf = conf
        self.client = client
        self.fixed_range = netaddr.IPNetwork(conf.fixed_range)
        if self.fixed_range.version != 4:
            raise ValueError('fixed_range %s is not an IPv4 range' % conf.fixed_range)
        self.physical_network = conf.physical_network

    @property
    def marker(self):
        return MARKER % self.kind

    @property
    def injected(self):
        return False

    def networks_for_project(self, project_id):
        """The networks an instance of ``project_id`` gets with no --nic (made if needed)."""
        raise NotImplementedError

    def manages(self, network):
        return network.get('description') == self.marker

    def network_meta(self, network):
        """What network_info says of ``network`` (nw_info.vif keyword arguments)."""
        if not self.manages(network):
            return {}
        return {'injected': self.injected, 'multi_host': self.conf.multi_host,
                'bridge_interface': self.bridge_interface}

    @property
    def bridge_interface(self):
        return self.conf.flat_interface

    # ---- finding ---------------------------------------------------------------------------

    def find(self, **filters):
        """This manager's networks, those with a subnet (made and settled) first."""
        networks = self.client.list_networks(description=self.marker, **filters)
        return sorted(networks, key=lambda n: (not n['subnets'], n['created_at'], n['id']))

    def ready(self, network):
        """``network`` once it has its subnet: another boot may still be making it."""
        deadline = time.monotonic() + SUBNET_WAIT
        while not network['subnets'] and time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                network = self.client.show_network(network['id'])
            except exceptions.NetworkNotFound:   # its maker gave up; the caller retries
                return None
        return network

    # ---- making --------------------------------------------------------------------------

    def provider(self, segmentation_id=None):
        if not self.physical_network:
            return {'provider:network_type': const.TYPE_LOCAL}
        attrs = {'provider:network_type': self.network_type,
                 'provider:physical_network': self.physical_network}
        if segmentation_id is not None:
            attrs['provider:segmentation_id'] = segmentation_id
        return attrs

    def create(self, tenant_id, name, cidr, shared, segmentation_id=None, rivals=None):
        """Network, subnet and (with DHCP and an external network) router, or nothing: a
        failure part way removes what was made.

        ``rivals``: filters finding this manager's networks that must stay single (e.g. one
        per project). Two boots may make one each at once: before its subnet, a network is
        kept only if it is the sole match, else removed and None returned for the caller to
        retry. Of two such networks at least the later-committed one sees the other, so at
        most one ever gets a subnet; both may yield, hence the caller's random backoff.
        """
        network = self.client.create_network(
            tenant_id=tenant_id, name=name, description=self.marker, shared=shared,
            **self.provider(segmentation_id))
        router = None
        try:
            if rivals is not None and [n['id'] for n in self.find(**rivals)] != [network['id']]:
                self.client.delete_network(network['id'])
                return None
            subnet = self.client.create_subnet(
                tenant_id=tenant_id, network_id=network['id'], ip_version=4, cidr=str(cidr),
                name=name, enable_dhcp=self.dhcp,
                dns_nameservers=list(self.conf.dns_nameservers))
            if self.dhcp and self.conf.external_network:
                router = self.client.create_router(
                    tenant_id=tenant_id, name=name, external_gateway_info={
                        'network_id': self.external_network_id(), 'enable_snat': True})
                self.client.add_router_interface(router['id'], subnet_id=subnet['id'])
        except Exception:
            if router is not None:
                self.client.delete_router(router['id'])
            self.client.delete_network(network['id'])
            raise
        return self.client.show_network(network['id'])

    @staticmethod
    def back_off():
        time.sleep(random.uniform(0, RIVAL_BACKOFF))

    def external_network_id(self):
        wanted = self.conf.external_network
        for network in self.client.list_networks(**{'router:external': True}):
            if wanted in (network['id'], network['name']):
                return network['id']
        raise exceptions.NetworkNotFound(net_id=wanted)
