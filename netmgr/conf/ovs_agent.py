"""Options of the Open vSwitch L2 agent ([OVS]) and the root helper its commands use
([AGENT] root_helper)."""

from oslo_config import cfg

OVS_GROUP = 'OVS'
AGENT_GROUP = 'AGENT'

OVS_OPTS = [
    cfg.StrOpt('integration_bridge', default='br-int',
               help='The bridge every instance port is plugged into.'),
    cfg.ListOpt('bridge_mappings', default=[], sample_default='physnet1:br-eth1',
                help='physical_network:bridge pairs: the bridge that carries each physical '
                     'network (flat and vlan networks) of this host.'),
    cfg.StrOpt('datapath_type', default='system', choices=['system', 'netdev'],
               help='OVS datapath of the bridges the agent makes: system (kernel) or '
                    'netdev (userspace).'),
    cfg.StrOpt('ovsdb_connection', default='unix:/var/run/openvswitch/db.sock',
               help='Where the agent reaches the local OVSDB server. This moves OVSDB only: '
                    'flows still go to the ovs-vswitchd of ovs_rundir.'),
    cfg.StrOpt('ovs_rundir', default='',
               help='Run directory (OVS_RUNDIR) of the ovs-vswitchd that serves '
                    'ovsdb_connection: the agent programs each bridge through its '
                    'management socket unix:<ovs_rundir>/<bridge>.mgmt. Empty: ovs-ofctl\'s '
                    'own default (/var/run/openvswitch, or OVS_RUNDIR in the agent\'s '
                    'environment). It is never derived from ovsdb_connection: with an '
                    'ovsdb_connection of another Open vSwitch (unix:<dir>/db.sock), set it '
                    '(usually to <dir>), or the flows go to the default ovs-vswitchd.'),
    cfg.FloatOpt('batch_window', default=0.03, min=0.0,
                 help='Seconds the agent waits after an OVSDB event to gather more port '
                      'changes into one batch.'),
    cfg.IntOpt('rpc_timeout', default=20, min=1,
               help='Seconds the agent waits for the server to answer a device call before '
                    'it retries (a call sent while RabbitMQ restarts can be lost).'),
    cfg.FloatOpt('canary_interval', default=1.0, min=0.1,
                 help='Seconds between checks that ovs-vswitchd still holds the flows.'),
]

AGENT_OPTS = [
    cfg.StrOpt('root_helper', default='',
               help='Prefix that runs agent commands as root (empty when the agent is root).'),
]


def parse_bridge_mappings(entries):
    """['physnet1:br-eth1', ...] -> {'physnet1': 'br-eth1'}; ValueError on a bad entry."""
    mappings = {}
    for entry in entries or ():
        physnet, sep, bridge = entry.strip().partition(':')
        physnet, bridge = physnet.strip(), bridge.strip()
        if not sep or not physnet or not bridge:
            raise ValueError('bridge mapping %r is not physical_network:bridge' % entry)
        if physnet in mappings:
            raise ValueError('physical network %r is mapped twice' % physnet)
        mappings[physnet] = bridge
    if len(set(mappings.values())) != len(mappings):
        raise ValueError('a bridge is mapped to two physical networks')
    return mappings


def register(conf):
    conf.register_opts(OVS_OPTS, group=OVS_GROUP)
    conf.register_opts(AGENT_OPTS, group=AGENT_GROUP)


def list_opts():
    return [(OVS_GROUP, OVS_OPTS), (AGENT_GROUP, AGENT_OPTS)]
