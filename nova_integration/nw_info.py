"""Ports, subnets and floating IPs -> Nova's network_info model (a pure translation).

The classes mirror nova.network.model: dicts all the way down, so network_info is JSON as it
stands (Nova stores it so), with the same keys Nova's virt drivers read. ``NetworkInfo.legacy``
gives the older ``[(network, info), ...]`` form that nova-network's callers used.
"""

import netaddr

from netmgr import constants as const
from netmgr import devnames

VIF_TYPE_OVS = 'ovs'
VIF_TYPE_BRIDGE = 'bridge'
DEFAULT_OVS_BRIDGE = 'br-int'


class Model(dict):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)


def ip(address, kind, **meta):
    if address is None:
        return None
    return Model(address=str(address), type=kind,
                 version=netaddr.IPAddress(address).version, meta=dict(meta))


def fixed_ip(address, floating=()):
    entry = ip(address, 'fixed')
    entry['floating_ips'] = [ip(f, 'floating') for f in floating]
    return entry


def route(cidr, gateway):
    return Model(cidr=cidr, gateway=ip(gateway, 'gateway'), interface=None, meta={})


def subnet(api_subnet, addresses, floating_by_fixed, dhcp_server=None):
    """One Nova subnet: the API subnet plus this port's addresses on it."""
    meta = {'dhcp_server': dhcp_server} if dhcp_server else {}
    return Model(cidr=api_subnet['cidr'],
                 dns=[ip(d, 'dns') for d in api_subnet.get('dns_nameservers') or []],
                 gateway=ip(api_subnet.get('gateway_ip'), 'gateway') or
                 Model(address=None, type='gateway', version=None, meta={}),
                 ips=[fixed_ip(a, floating_by_fixed.get(a, ())) for a in addresses],
                 routes=[route(r['destination'], r['nexthop'])
                         for r in api_subnet.get('host_routes') or []],
                 version=api_subnet['ip_version'], meta=meta)


def bridge_name(vif_type, network_id, ovs_bridge=DEFAULT_OVS_BRIDGE):
    if vif_type == VIF_TYPE_OVS:
        return ovs_bridge
    return devnames.network_bridge_name(network_id)


def vif(port, network, subnets, floating_ips=(), dhcp_servers=None, injected=False,
        bridge=None, bridge_interface=None, multi_host=False, ovs_bridge=DEFAULT_OVS_BRIDGE):
    """The VIF of one port.

    ``network`` and ``subnets`` ({id: subnet}) are API dicts; ``floating_ips`` API dicts
    associated with this port; ``dhcp_servers`` {subnet_id: address}. ``bridge``,
    ``bridge_interface``, ``injected`` and ``multi_host`` are what a nova-network style
    manager decides; by default they follow the port's binding.
    """
    vif_type = port.get('binding:vif_type') or VIF_TYPE_OVS
    if vif_type in ('unbound', 'binding_failed'):
        vif_type_for_bridge = VIF_TYPE_OVS
    else:
        vif_type_for_bridge = vif_type
    floating_by_fixed = {}
    for fip in floating_ips:
        if fip.get('fixed_ip_address'):
            floating_by_fixed.setdefault(fip['fixed_ip_address'], []).append(
                fip['floating_ip_address'])
    addresses = {}
    for entry in port['fixed_ips']:
        addresses.setdefault(entry['subnet_id'], []).append(entry['ip_address'])
    nova_subnets = [subnet(subnets[subnet_id], addrs, floating_by_fixed,
                           (dhcp_servers or {}).get(subnet_id))
                    for subnet_id, addrs in addresses.items() if subnet_id in subnets]
    segmentation = network.get('provider:segmentation_id')
    network_type = network.get('provider:network_type')
    nova_network = Model(
        id=network['id'],
        bridge=bridge or bridge_name(vif_type_for_bridge, network['id'], ovs_bridge),
        label=network.get('name') or '', subnets=nova_subnets,
        meta={'tenant_id': port['tenant_id'], 'injected': injected,
              'should_create_bridge': vif_type_for_bridge == VIF_TYPE_BRIDGE,
              'should_create_vlan': network_type == const.TYPE_VLAN and
              vif_type_for_bridge == VIF_TYPE_BRIDGE,
              'vlan': segmentation if network_type == const.TYPE_VLAN else None,
              'bridge_interface': bridge_interface, 'multi_host': multi_host,
              'mtu': network.get('mtu'),
              'physical_network': network.get('provider:physical_network'),
              'tunneled': network_type in const.TUNNEL_TYPES})
    return Model(id=port['id'], address=port['mac_address'], network=nova_network,
                 type=vif_type, details=port.get('binding:vif_details') or {},
                 devname=devnames.tap_name(port['id']),
                 ovs_interfaceid=port['id'] if vif_type == VIF_TYPE_OVS else None,
                 qbh_params=None, qbg_params=None, active=port.get('status') == 'ACTIVE',
                 vnic_type=port.get('binding:vnic_type') or 'normal',
                 profile=port.get('binding:profile') or {}, preserve_on_delete=False,
                 meta={})


class NetworkInfo(list):
    """The VIFs of one instance, in the order of its NICs."""

    def fixed_ips(self):
        return [i for v in self for s in v['network']['subnets'] for i in s['ips']]

    def floating_ips(self):
        return [f for i in self.fixed_ips() for f in i['floating_ips']]

    def legacy(self):
        """[(network, info), ...] as nova-network returned them."""
        result = []
        for entry in self:
            net = entry['network']
            v4 = [s for s in net['subnets'] if s['version'] == 4]
            v6 = [s for s in net['subnets'] if s['version'] == 6]
            network = {'id': net['id'], 'bridge': net['bridge'],
                       'cidr': v4[0]['cidr'] if v4 else None,
                       'cidr_v6': v6[0]['cidr'] if v6 else None,
                       'injected': net['meta']['injected'],
                       'multi_host': net['meta']['multi_host'],
                       'vlan': net['meta']['vlan'],
                       'bridge_interface': net['meta']['bridge_interface'],
                       'tenant_id': net['meta']['tenant_id'],
                       'should_create_vlan': net['meta']['should_create_vlan'],
                       'should_create_bridge': net['meta']['should_create_bridge']}
            info = {'label': net['label'], 'mac': entry['address'],
                    'vif_type': entry['type'], 'vif_devname': entry['devname'],
                    'vif_uuid': entry['id'], 'ovs_interfaceid': entry['ovs_interfaceid'],
                    'rxtx_cap': None, 'should_create_vlan': net['meta']['should_create_vlan'],
                    'should_create_bridge': net['meta']['should_create_bridge'],
                    'gateway': _gateway(v4), 'gateway_v6': _gateway(v6),
                    'broadcast': str(netaddr.IPNetwork(v4[0]['cidr']).broadcast) if v4
                    else None,
                    'dns': [d['address'] for s in net['subnets'] for d in s['dns']],
                    'dhcp_server': v4[0]['meta'].get('dhcp_server') if v4 else None,
                    'ips': [_legacy_ip(i, s) for s in v4 for i in s['ips']],
                    'ip6s': [_legacy_ip(i, s) for s in v6 for i in s['ips']]}
            result.append((network, info))
        return result


def _gateway(subnets):
    return subnets[0]['gateway']['address'] if subnets else None


def _legacy_ip(entry, nova_subnet):
    cidr = netaddr.IPNetwork(nova_subnet['cidr'])
    if nova_subnet['version'] == 4:
        return {'ip': entry['address'], 'netmask': str(cidr.netmask), 'enabled': '1'}
    return {'ip': entry['address'], 'netmask': cidr.prefixlen, 'enabled': '1'}
