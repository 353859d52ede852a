"""The network types in service and the order tenants get them in; dispatches to the type
modules (one object per type, composed here)."""

import functools

from netmgr.conf import l2 as l2_conf
from netmgr import constants as const
from netmgr.drivers import segment as seg
from netmgr.drivers import type_flat
from netmgr.drivers import type_local
from netmgr.drivers import type_tunnel
from netmgr.drivers import type_vlan
from netmgr import exceptions


class TypeManager:
    def __init__(self, types, tenant_types):
        self.types = {t.network_type: t for t in types}
        unknown = [t for t in tenant_types if t not in self.types]
        if unknown:
            raise ValueError('tenant network type(s) %s not available' % ', '.join(unknown))
        self.tenant_types = list(tenant_types)

    @classmethod
    def from_conf(cls, conf, supported):
        """The types ``supported`` by the driver, configured from the [l2] options."""
        l2_conf.check(conf)
        any_flat, flat_physnets = l2_conf.flat_networks(conf)
        available = {
            const.TYPE_FLAT: lambda: type_flat.FlatType(any_flat, flat_physnets),
            const.TYPE_VLAN: lambda: type_vlan.VlanType(l2_conf.vlan_ranges(conf)),
            const.TYPE_LOCAL: type_local.LocalType,
        }
        available.update({t: functools.partial(_tunnel_type, conf, t)
                          for t in seg.TUNNEL_TYPES})
        tenant_types = list(conf[l2_conf.GROUP].tenant_network_types)
        refused = [t for t in tenant_types if t not in supported]
        if refused:
            raise ValueError('[%s] tenant_network_types: %s not supported by the %s driver'
                             % (l2_conf.GROUP, ', '.join(refused),
                                conf[l2_conf.GROUP].mechanism_driver))
        return cls([available[t]() for t in supported if t in available], tenant_types)

    def validate(self, network_type, physical_network, segmentation_id):
        if network_type is None:
            raise exceptions.InvalidInput(
                error_message='provider:network_type required when provider attributes '
                              'are given')
        driver = self.types.get(network_type)
        if driver is None:
            raise exceptions.InvalidInput(
                error_message="network_type value '%s' not supported" % network_type)
        return driver.validate(physical_network, segmentation_id)

    def reserve(self, session, network_id, segment):
        return self.types[segment.network_type].reserve(session, network_id, segment)

    def allocate_tenant(self, session, network_id):
        for network_type in self.tenant_types:
            segment = self.types[network_type].allocate(session, network_id)
            if segment is not None:
                return segment
        raise exceptions.NoNetworkAvailable()


def _tunnel_type(conf, network_type):
    _option, _parse, low, high = l2_conf.TUNNEL_IDS[network_type]
    return type_tunnel.TunnelType(network_type, l2_conf.tunnel_ranges(conf, network_type),
                                  low, high)
