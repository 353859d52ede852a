"""Options of the Open vSwitch L2 agent ([OVS]: bridges and the Open vSwitch it drives, the
tunnel endpoint), its tunnels ([AGENT] tunnel_types, vxlan_udp_port, l2_population: Neutron's
names) and the root helper its commands use ([AGENT] root_helper)."""

import dataclasses
import ipaddress

from oslo_config import cfg
from oslo_config import types

from netmgr import constants as const

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
    cfg.StrOpt('local_ip', default='', sample_default='192.0.2.1',
               help='IP address of this host\'s tunnel endpoint (the source of its vxlan, '
                    'gre and geneve tunnels), announced to the other hosts through the '
                    'server. Required with [AGENT] tunnel_types. It is an address of the '
                    'host whose Open vSwitch the agent drives, not necessarily of the '
                    'agent\'s own network namespace.'),
    cfg.StrOpt('tunnel_bridge', default='br-tun',
               help='The bridge of the tunnels, patched to the integration bridge.'),
    cfg.StrOpt('int_peer_patch_port', default='patch-tun',
               help='The patch port on the integration bridge towards the tunnel bridge.'),
    cfg.StrOpt('tun_peer_patch_port', default='patch-int',
               help='The patch port on the tunnel bridge towards the integration bridge.'),
]

AGENT_OPTS = [
    cfg.StrOpt('root_helper', default='',
               help='Prefix that runs agent commands as root (empty when the agent is root).'),
    cfg.ListOpt('tunnel_types', default=[], sample_default='vxlan',
                item_type=types.String(choices=const.TUNNEL_TYPES),
                help='Tunnel network types this host carries (vxlan, gre, geneve), over '
                     'the tunnel bridge from [OVS] local_ip. Empty: no tunnel networks (their '
                     'ports stay down).'),
    cfg.PortOpt('vxlan_udp_port', default=4789,
                help='UDP port of the vxlan tunnels.'),
    cfg.BoolOpt('l2_population', default=True,
                help='Send a tunnel network\'s broadcast, multicast and unknown unicast only '
                     'to the hosts that have ports on it, and its unicast straight to the '
                     'right host, from the server\'s FDB entries. Off: they go to every '
                     'known tunnel of the network\'s type, and unicast is learned.'),
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


@dataclasses.dataclass(frozen=True)
class TunnelSettings:
    local_ip: str
    tunnel_types: tuple
    bridge: str
    int_patch: str          # on the integration bridge
    tun_patch: str          # on the tunnel bridge
    vxlan_udp_port: int
    l2_population: bool


def tunnel_settings(conf):
    """The agent's TunnelSettings, or None when it carries no tunnels; ValueError when
    tunnel_types has no usable [OVS] local_ip."""
    tunnel_types = tuple(dict.fromkeys(conf.AGENT.tunnel_types))
    if not tunnel_types:
        return None
    if not conf.OVS.local_ip:
        raise ValueError('[AGENT] tunnel_types %s needs [OVS] local_ip'
                         % ','.join(tunnel_types))
    try:
        local_ip = str(ipaddress.ip_address(conf.OVS.local_ip))
    except ValueError:
        raise ValueError('[OVS] local_ip %r is not an IP address' % conf.OVS.local_ip) from None
    return TunnelSettings(local_ip, tunnel_types, conf.OVS.tunnel_bridge,
                          conf.OVS.int_peer_patch_port, conf.OVS.tun_peer_patch_port,
                          conf.AGENT.vxlan_udp_port, conf.AGENT.l2_population)


def register(conf):
    conf.register_opts(OVS_OPTS, group=OVS_GROUP)
    conf.register_opts(AGENT_OPTS, group=AGENT_GROUP)


def list_opts():
    return [(OVS_GROUP, OVS_OPTS), (AGENT_GROUP, AGENT_OPTS)]
