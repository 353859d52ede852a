"""mtu on networks, by Neutron's rules: computed from the segment the provider extension has
just put on each network (it runs first), so it costs no query of its own.

- tunnel networks: min(global_physnet_mtu, path_mtu when set) less the encapsulation and
  the outer IP header (20 bytes over IPv4, 40 over IPv6): VXLAN 1450, GRE 1458 and Geneve
  1450 (max_header_size 30) at 1500 over IPv4;
- flat and vlan: min(global_physnet_mtu, the physical network's own MTU when listed in
  physical_network_mtus);
- local: global_physnet_mtu."""

from netmgr.api.definitions import network_mtu as mtu_def
from netmgr.api.definitions import provider_net as provider_def
from netmgr.conf import l2 as l2_conf
from netmgr.drivers import segment as seg
from netmgr import exceptions
from netmgr.services.extensions import base

IP_HEADER = {4: 20, 6: 40}
# Encapsulation, outer IP header aside: VXLAN is UDP 8 + VXLAN 8 + inner Ethernet 14; GRE is
# GRE with a key 8 + inner Ethernet 14. Geneve's is max_header_size (its options vary).
ENCAPSULATION = {seg.VXLAN: 30, seg.GRE: 22}


class NetworkMtu(base.AttributeExtension):
    collection = 'networks'
    attributes = (mtu_def.MTU,)
    reads = (provider_def.NETWORK_TYPE, provider_def.PHYSICAL_NETWORK)

    def __init__(self, global_physnet_mtu, path_mtu=0, physnet_mtus=None,
                 overlay_ip_version=4, geneve_header_size=30):
        self.global_physnet_mtu = global_physnet_mtu
        self.path_mtu = path_mtu
        self.physnet_mtus = dict(physnet_mtus or {})
        self.encapsulation = dict(ENCAPSULATION, **{seg.GENEVE: geneve_header_size})
        self.ip_header = IP_HEADER[overlay_ip_version]

    @classmethod
    def from_conf(cls, conf):
        options = conf[l2_conf.GROUP]
        return cls(conf.global_physnet_mtu, path_mtu=options.path_mtu,
                   physnet_mtus=l2_conf.physical_network_mtus(conf),
                   overlay_ip_version=options.overlay_ip_version,
                   geneve_header_size=options.max_header_size)

    def network_mtu(self, network_type, physical_network=None):
        if network_type in seg.TUNNEL_TYPES:
            underlay = min(self.global_physnet_mtu, self.path_mtu or self.global_physnet_mtu)
            return underlay - self.encapsulation[network_type] - self.ip_header
        if network_type in (seg.FLAT, seg.VLAN) and physical_network in self.physnet_mtus:
            return min(self.global_physnet_mtu, self.physnet_mtus[physical_network])
        return self.global_physnet_mtu

    def _set(self, resource):
        resource[mtu_def.MTU] = self.network_mtu(resource.get(provider_def.NETWORK_TYPE),
                                                 resource.get(provider_def.PHYSICAL_NETWORK))

    def create(self, session, context, resource, data):
        self._set(resource)

    def update(self, session, context, resource, data):
        pass    # read only: the attribute map refuses it before the service

    def extend(self, session, resources, ids):
        for resource in resources:
            self._set(resource)

    def filter(self, name, values):
        raise exceptions.InvalidFilter(filter=name)
