"""mtu on networks: computed from the segment type the provider extension has just put on
each network (it runs first), so it costs no query of its own."""

from netmgr.api.definitions import network_mtu as mtu_def
from netmgr.api.definitions import provider_net as provider_def
from netmgr.drivers import segment as seg
from netmgr import exceptions
from netmgr.services.extensions import base

# Bytes a tunnel's headers take from the physical MTU (outer IPv4 + UDP + VXLAN + inner
# Ethernet), as Neutron counts them.
OVERHEAD = {seg.VXLAN: 50}


def network_mtu(physnet_mtu, network_type):
    return physnet_mtu - OVERHEAD.get(network_type, 0)


class NetworkMtu(base.AttributeExtension):
    collection = 'networks'
    attributes = (mtu_def.MTU,)
    reads = (provider_def.NETWORK_TYPE,)

    def __init__(self, physnet_mtu):
        self.physnet_mtu = physnet_mtu

    def _set(self, resource):
        resource[mtu_def.MTU] = network_mtu(self.physnet_mtu,
                                            resource.get(provider_def.NETWORK_TYPE))

    def create(self, session, context, resource, data):
        self._set(resource)

    def update(self, session, context, resource, data):
        pass    # read only: the attribute map refuses it before the service

    def extend(self, session, resources, ids):
        for resource in resources:
            self._set(resource)

    def filter(self, name, values):
        raise exceptions.InvalidFilter(filter=name)
