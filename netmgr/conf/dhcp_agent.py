"""Options of the DHCP agent: [DEFAULT] dhcp_lease_duration (as Neutron names it) and [DHCP].
The agent also reads [DEFAULT] state_path and host, [OVS] integration_bridge, datapath_type,
ovsdb_connection and ovs_rundir (the host's Open vSwitch, as its L2 agent names it), and
[AGENT] root_helper and report_interval."""

from oslo_config import cfg

DHCP_GROUP = 'DHCP'

OPTS = [
    cfg.IntOpt('dhcp_lease_duration', default=86400, min=-1,
               help='Seconds of a DHCP lease; -1 for infinite leases.'),
]

DHCP_OPTS = [
    cfg.StrOpt('dnsmasq_binary', default='dnsmasq',
               help='The dnsmasq program the agent runs (one per network).'),
    cfg.ListOpt('dnsmasq_dns_servers', default=[], sample_default='8.8.8.8,8.8.4.4',
                help='DNS servers offered on subnets that name none themselves.'),
    cfg.StrOpt('dhcp_domain', default='openstacklocal',
               help='Domain of the host names given to ports (host-10-0-0-5.<domain>).'),
    cfg.StrOpt('dnsmasq_user', default='',
               help='User each dnsmasq runs as once started; it must be able to read the '
                    'files under state_path/dhcp. Empty: dnsmasq\'s own default (nobody).'),
    cfg.StrOpt('dnsmasq_log_dir',
               help='Directory where each dnsmasq logs its DHCP exchanges '
                    '(<network-id>.log); unset: dnsmasq logs to syslog.'),
    cfg.FloatOpt('resync_interval', default=5.0, min=0.1,
                 help='Seconds before a full resynchronisation is tried again after an '
                      'error.'),
    cfg.FloatOpt('process_check_interval', default=5.0, min=0.1,
                 help='Seconds between checks that every dnsmasq is alive (a dead one is '
                      'started again).'),
    cfg.IntOpt('rpc_timeout', default=30, min=1,
               help='Seconds the agent waits for the server to answer a call.'),
]


def register(conf):
    conf.register_opts(OPTS)
    conf.register_opts(DHCP_OPTS, group=DHCP_GROUP)


def list_opts():
    return [(None, OPTS), (DHCP_GROUP, DHCP_OPTS)]
