"""Options of the Linux bridge L2 agent: [LINUX_BRIDGE] (physical interfaces, RPC timeout),
[VXLAN] (tunnels) and [AGENT] polling_interval."""

import ipaddress

from oslo_config import cfg

LB_GROUP = 'LINUX_BRIDGE'
VXLAN_GROUP = 'VXLAN'
AGENT_GROUP = 'AGENT'

LB_OPTS = [
    cfg.ListOpt('physical_interface_mappings', default=[], sample_default='physnet1:eth1',
                help='physical_network:interface pairs: the interface of this host that '
                     'carries each physical network (flat networks).'),
    cfg.IntOpt('rpc_timeout', default=20, min=1,
               help='Seconds the agent waits for the server to answer a device call before '
                    'it retries.'),
]

VXLAN_OPTS = [
    cfg.BoolOpt('enable_vxlan', default=True,
                help='Carry vxlan networks (needs local_ip).'),
    cfg.StrOpt('local_ip', default='',
               help='IP address of this host on the tunnel network (VXLAN source).'),
    cfg.ListOpt('remote_ips', default=[], sample_default='192.0.2.2,192.0.2.3',
                help='Tunnel IP addresses of other hosts to flood to, besides those the '
                     'server announces (every L2 agent with a local_ip announces its own): '
                     'broadcast and unknown unicast of every vxlan network is sent to each of '
                     'them (no multicast).'),
    cfg.PortOpt('udp_port', default=4789, help='UDP port of the VXLAN tunnels.'),
]

SECURITYGROUP_GROUP = 'SECURITYGROUP'
SECURITYGROUP_OPTS = [
    cfg.BoolOpt('enable_security_group', default=True,
                help='Filter the bridged traffic of instance taps by their ports\' security '
                     'groups, port security and allowed address pairs (iptables, IPv4). '
                     'Sets net.bridge.bridge-nf-call-iptables = 1 in the agent\'s network '
                     'namespace.'),
]

AGENT_OPTS = [
    cfg.FloatOpt('polling_interval', default=2.0, min=0.1,
                 help='Seconds between two scans of the host for new or removed instance '
                      'taps.'),
]


def parse_interface_mappings(entries):
    """['physnet1:eth1', ...] -> {'physnet1': 'eth1'}; ValueError on a bad entry."""
    mappings = {}
    for entry in entries or ():
        physnet, sep, interface = entry.strip().partition(':')
        physnet, interface = physnet.strip(), interface.strip()
        if not sep or not physnet or not interface:
            raise ValueError('interface mapping %r is not physical_network:interface' % entry)
        if physnet in mappings:
            raise ValueError('physical network %r is mapped twice' % physnet)
        mappings[physnet] = interface
    if len(set(mappings.values())) != len(mappings):
        raise ValueError('an interface is mapped to two physical networks')
    return mappings


def tunnel_settings(group):
    """(local_ip, remote_ips) of the [VXLAN] group; (None, []) when vxlan is off or has no
    local_ip; ValueError on an address that is not one."""
    if not group.enable_vxlan or not group.local_ip:
        return None, []
    try:
        local = str(ipaddress.ip_address(group.local_ip))
        remotes = [str(ipaddress.ip_address(ip.strip())) for ip in group.remote_ips]
    except ValueError as exc:
        raise ValueError('[VXLAN]: %s' % exc) from exc
    return local, sorted(set(remotes) - {local})


def register(conf):
    conf.register_opts(LB_OPTS, group=LB_GROUP)
    conf.register_opts(VXLAN_OPTS, group=VXLAN_GROUP)
    conf.register_opts(AGENT_OPTS, group=AGENT_GROUP)
    conf.register_opts(SECURITYGROUP_OPTS, group=SECURITYGROUP_GROUP)


def list_opts():
    return [(LB_GROUP, LB_OPTS), (VXLAN_GROUP, VXLAN_OPTS), (AGENT_GROUP, AGENT_OPTS),
            (SECURITYGROUP_GROUP, SECURITYGROUP_OPTS)]
