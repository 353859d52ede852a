"""[l2] options: the L2 driver, tenant network types, the segment ranges it allocates from and
the MTUs of the physical networks and tunnel paths.

The option names are Neutron's (ML2 and its type drivers), so an operator's values carry over;
the Neutron sections they lived in ([ml2], [ml2_type_vlan], ...) are accepted as old names.

tenant_network_types defaults to vxlan: on one host a VXLAN segment needs no physical network
mapping and works with both drivers (VXLAN devices exist in the lab kernel, 802.1Q
sub-interfaces do not, so Linux bridge VLAN segments could not be wired there), while VLAN
tenant networks need network_vlan_ranges and a bridge per physical network on every host.
"""

from oslo_config import cfg
from oslo_config import types

from netmgr import constants as const

GROUP = 'l2'

NETWORK_TYPES = (const.TYPE_FLAT, const.TYPE_VLAN, const.TYPE_VXLAN, const.TYPE_LOCAL,
                 const.TYPE_GRE, const.TYPE_GENEVE)
DRIVERS = ('openvswitch', 'linuxbridge')
MIN_VLAN, MAX_VLAN = 1, 4094
MIN_VNI, MAX_VNI = 1, 2 ** 24 - 1             # VXLAN and Geneve: 24 bits
MIN_TUNNEL_ID, MAX_TUNNEL_ID = 1, 2 ** 32 - 1  # GRE keys: 32 bits
PHYSNET_MAX_LEN = 64
MIN_MTU, MAX_MTU = 68, 65535


def _int_in(text, low, high, what):
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise ValueError('%r is not an integer %s' % (text, what))
    if not low <= value <= high:
        raise ValueError('%s %d is outside %d..%d' % (what, value, low, high))
    return value


def _range(first, last, low, high, what):
    first, last = _int_in(first, low, high, what), _int_in(last, low, high, what)
    if first > last:
        raise ValueError('%s range %d:%d ends before it starts' % (what, first, last))
    return first, last


def _physnet(name):
    name = name.strip()
    if not name or len(name) > PHYSNET_MAX_LEN or ':' in name:
        raise ValueError('%r is not a physical network name (1..%d characters, no ":")'
                         % (name, PHYSNET_MAX_LEN))
    return name


def parse_vlan_range(text):
    """``physnet`` -> (physnet, None); ``physnet:first:last`` -> (physnet, (first, last))."""
    parts = str(text).strip().split(':')
    if len(parts) == 1:
        return _physnet(parts[0]), None
    if len(parts) == 3:
        return _physnet(parts[0]), _range(parts[1], parts[2], MIN_VLAN, MAX_VLAN, 'VLAN id')
    raise ValueError('%r is neither "physnet" nor "physnet:first_vlan:last_vlan"' % str(text))


def _id_range_parser(what, word, low, high):
    """A parser of ``first:last`` -> (first, last), ids of ``what`` in low..high."""
    def parse(text):
        parts = str(text).strip().split(':')
        if len(parts) != 2:
            raise ValueError('%r is not "first_%s:last_%s"' % (str(text), word, word))
        return _range(parts[0], parts[1], low, high, what)
    return parse


parse_vni_range = _id_range_parser('VNI', 'vni', MIN_VNI, MAX_VNI)
parse_tunnel_id_range = _id_range_parser('tunnel id', 'tunnel_id', MIN_TUNNEL_ID,
                                         MAX_TUNNEL_ID)


def parse_physnet_mtu(text):
    """``physnet:mtu`` -> (physnet, mtu)."""
    parts = str(text).strip().split(':')
    if len(parts) != 2:
        raise ValueError('%r is not "physnet:mtu"' % str(text))
    return _physnet(parts[0]), _int_in(parts[1], MIN_MTU, MAX_MTU, 'MTU')


def parse_flat_network(text):
    text = str(text).strip()
    return text if text == '*' else _physnet(text)


class _Checked(types.String):
    """An oslo.config item type: the text itself, once ``parse`` accepts it (a String, so
    that oslo-config-generator can write its default in the sample)."""

    def __init__(self, parse):
        super().__init__()
        self.parse = parse

    def __call__(self, value):
        text = super().__call__(value).strip()
        self.parse(text)
        return text

    def __eq__(self, other):
        return super().__eq__(other) and self.parse is other.parse


def _old(name, *groups):
    return [cfg.DeprecatedOpt(name, group=group) for group in groups]


OPTS = [
    cfg.StrOpt('mechanism_driver', default='openvswitch', choices=DRIVERS,
               deprecated_opts=_old('mechanism_drivers', 'ml2'),
               help='The L2 driver the agents run: openvswitch or linuxbridge.'),
    cfg.ListOpt('tenant_network_types', default=[const.TYPE_VXLAN],
                item_type=types.String(choices=NETWORK_TYPES),
                deprecated_opts=_old('tenant_network_types', 'ml2'),
                help='Network types for tenant networks, in order of preference; a new '
                     'network gets a segment of the first type with a free id.'),
    cfg.ListOpt('network_vlan_ranges', default=[], item_type=_Checked(parse_vlan_range),
                deprecated_opts=_old('network_vlan_ranges', 'ml2_type_vlan'),
                help='"physnet:first_vlan:last_vlan" ranges for tenant VLANs, or a bare '
                     '"physnet" that admins may use for provider VLANs only.'),
    cfg.ListOpt('vni_ranges', default=['1:1000'], item_type=_Checked(parse_vni_range),
                deprecated_opts=_old('vni_ranges', 'ml2_type_vxlan'),
                help='"first_vni:last_vni" ranges of VXLAN ids for tenant networks.'),
    cfg.ListOpt('tunnel_id_ranges', default=['1:1000'],
                item_type=_Checked(parse_tunnel_id_range),
                deprecated_opts=_old('tunnel_id_ranges', 'ml2_type_gre'),
                help='"first_tunnel_id:last_tunnel_id" ranges of GRE keys for tenant '
                     'networks.'),
    cfg.ListOpt('geneve_vni_ranges', default=['1:1000'], item_type=_Checked(parse_vni_range),
                deprecated_opts=_old('vni_ranges', 'ml2_type_geneve'),
                help='"first_vni:last_vni" ranges of Geneve ids for tenant networks '
                     '(Neutron\'s [ml2_type_geneve] vni_ranges).'),
    cfg.IntOpt('max_header_size', default=30, min=0,
               deprecated_opts=_old('max_header_size', 'ml2_type_geneve'),
               help='Geneve encapsulation header size in bytes, options included; Geneve '
                    'networks\' mtu leaves this much (plus the outer IP header) of the '
                    'physical MTU.'),
    cfg.IntOpt('path_mtu', default=0, min=0, max=MAX_MTU,
               deprecated_opts=_old('path_mtu', 'ml2'),
               help='MTU of the underlay path between the hosts\' tunnel endpoints; 0 (unset) '
                    'leaves global_physnet_mtu. Tunnel networks get the smaller of the two, '
                    'less their encapsulation overhead.'),
    cfg.ListOpt('physical_network_mtus', default=[], item_type=_Checked(parse_physnet_mtu),
                deprecated_opts=_old('physical_network_mtus', 'ml2'),
                help='"physnet:mtu" pairs for physical networks whose MTU differs from '
                     'global_physnet_mtu: flat and vlan networks there get the smaller.'),
    cfg.IntOpt('overlay_ip_version', default=4,
               choices=[(4, 'IPv4 endpoints: 20 bytes'), (6, 'IPv6 endpoints: 40 bytes')],
               deprecated_opts=_old('overlay_ip_version', 'ml2'),
               help='IP version of the tunnel endpoints: the outer IP header takes 20 (4) or '
                    '40 (6) bytes of a tunnel network\'s MTU.'),
    cfg.ListOpt('flat_networks', default=['*'], item_type=_Checked(parse_flat_network),
                deprecated_opts=_old('flat_networks', 'ml2_type_flat'),
                help='Physical networks flat networks may use; "*" allows any, an empty '
                     'list disables flat networks.'),
]


def register(conf):
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]


def vlan_ranges(conf):
    """{physnet: [(first, last), ...]}; a physnet listed bare maps to an empty list."""
    ranges = {}
    for item in conf[GROUP].network_vlan_ranges:
        physnet, bounds = parse_vlan_range(item)
        ranges.setdefault(physnet, [])
        if bounds is not None:
            ranges[physnet].append(bounds)
    return ranges


# Each tunnel type: the option of its tenant id ranges, their parser, and the ids it carries.
TUNNEL_IDS = {'vxlan': ('vni_ranges', parse_vni_range, MIN_VNI, MAX_VNI),
              'gre': ('tunnel_id_ranges', parse_tunnel_id_range, MIN_TUNNEL_ID,
                      MAX_TUNNEL_ID),
              'geneve': ('geneve_vni_ranges', parse_vni_range, MIN_VNI, MAX_VNI)}


def tunnel_ranges(conf, network_type):
    """[(first, last), ...] of tenant ids of a tunnel type."""
    name, parse, _low, _high = TUNNEL_IDS[network_type]
    return [parse(item) for item in conf[GROUP][name]]


def vni_ranges(conf):
    return tunnel_ranges(conf, 'vxlan')


def physical_network_mtus(conf):
    """{physnet: mtu}."""
    return dict(parse_physnet_mtu(item) for item in conf[GROUP].physical_network_mtus)


def flat_networks(conf):
    """(any physnet allowed, set of named physnets)."""
    names = [parse_flat_network(item) for item in conf[GROUP].flat_networks]
    return '*' in names, {n for n in names if n != '*'}


def check(conf):
    """Parse every L2 option now; a bad value raises ValueError naming the option."""
    checked = [('network_vlan_ranges', parse_vlan_range), ('flat_networks', parse_flat_network),
               ('physical_network_mtus', parse_physnet_mtu)]
    checked += [(name, parse) for name, parse, _low, _high in TUNNEL_IDS.values()]
    for name, parse in checked:
        for item in conf[GROUP][name]:
            try:
                parse(item)
            except ValueError as exc:
                raise ValueError('Invalid [%s] %s: %s' % (GROUP, name, exc))
    if not conf[GROUP].tenant_network_types:
        raise ValueError('[%s] tenant_network_types must name at least one type' % GROUP)
