"""[DEFAULT] options of the core service and IPAM."""

from oslo_config import cfg

OPTS = [
    cfg.StrOpt('state_path', default='/var/lib/netmgr',
               help='Directory for state files, including the default SQLite database.'),
    cfg.BoolOpt('allow_overlapping_ips', default=True,
                help='Allow subnets of different networks to overlap.'),
    cfg.StrOpt('base_mac', default='fa:16:3e:00:00:00',
               help='Base MAC for ports; octets that are 00 are randomised.'),
    cfg.IntOpt('mac_generation_retries', default=16, min=1,
               help='How many random MACs to try before giving up (503).'),
    cfg.ListOpt('mac_ranges', default=[],
                help='Optional MAC ranges "first-last" to allocate from instead of base_mac.'),
    cfg.IntOpt('max_dns_nameservers', default=5,
               help='Maximum DNS nameservers per subnet.'),
    cfg.IntOpt('max_subnet_host_routes', default=20,
               help='Maximum host routes per subnet.'),
    cfg.IntOpt('max_fixed_ips_per_port', default=10,
               help='Maximum fixed IPs per port.'),
    cfg.IntOpt('global_physnet_mtu', default=1500, min=68,
               help='MTU of the physical networks; a tunnel network\'s mtu is this (or [l2] '
                    'path_mtu if smaller) less its overhead (IPv4 underlay: VXLAN 50, GRE 42, '
                    'Geneve 50).'),
    cfg.IntOpt('max_allowed_address_pair', default=10,
               help='Maximum allowed address pairs per port.'),
]


def register(conf):
    conf.register_opts(OPTS)


def list_opts():
    return [(None, OPTS)]
