"""Options of the L3 agent ([L3]). The agent plugs its devices into the bridges of
[OVS] (integration_bridge, datapath_type, ovsdb_connection, ovs_rundir: the host's Open
vSwitch, as its L2 agent names it) and runs commands with [AGENT] root_helper."""

from oslo_config import cfg

L3_GROUP = 'L3'

L3_OPTS = [
    cfg.StrOpt('external_network_bridge', default='',
               help='Bridge for the routers\' gateway (qg-) devices. Empty: they go on the '
                    'integration bridge and the L2 agent wires them with the external '
                    'network\'s segment (e.g. a flat provider network on a physical '
                    'bridge).'),
    cfg.FloatOpt('periodic_interval', default=40.0, min=0.1,
                 help='Seconds between full resynchronisations of every router (they '
                      'catch changes whose notification was lost).'),
    cfg.FloatOpt('resync_interval', default=5.0, min=0.1,
                 help='Longest wait, in seconds, before a full resynchronisation is tried '
                      'again after an error (the wait doubles from 0.5 s up to it).'),
    cfg.IntOpt('rpc_timeout', default=20, min=1,
               help='Seconds the agent waits for the server to answer sync_routers.'),
    cfg.IntOpt('send_arp_count', default=3, min=0,
               help='Gratuitous ARPs sent for a gateway or floating IP address when it is '
                    'added (0: none; needs arping).'),
]


def register(conf):
    conf.register_opts(L3_OPTS, group=L3_GROUP)


def list_opts():
    return [(L3_GROUP, L3_OPTS)]
