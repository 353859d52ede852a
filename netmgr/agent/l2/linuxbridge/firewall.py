"""Security groups on a Linux bridge host: iptables filter rules on the bridged traffic of
each instance tap (``-m physdev``, which needs net.bridge.bridge-nf-call-iptables = 1).

Per tap with port security on, three chains (the tap's port id prefix after the letter):
``i`` what may reach the instance (its ingress rules), ``o`` what it may send (egress
rules), ``s`` which source addresses and MAC it may send from (its fixed IPs and allowed
address pairs). Packets of established connections pass, invalid ones are dropped, DHCP to
the instance and from it as a client is allowed, and it may not answer as a DHCP server.
Accepting rules RETURN, so a packet between two instances of the host is checked on both
ends; each chain ends in DROP. A tap without port security is not filtered. IPv4 only: IPv6
rules are not rendered and IPv6 traffic is not filtered.
"""

from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import iptables_manager
from netmgr import devnames

BINARY = 'netmgr-linuxbridge-agent'
PORT_PROTOCOLS = {'tcp': 'tcp', 'udp': 'udp', '6': 'tcp', '17': 'udp'}
ICMP = ('icmp', '1')


def enable_bridge_netfilter(executor=None):
    """Bridged IPv4 traffic through iptables, in this process' network namespace."""
    (executor or agent_executor.Executor()).execute(
        ['sysctl', '-w', 'net.bridge.bridge-nf-call-iptables=1'])


def _chain(kind, tap):
    return kind + devnames.port_id_prefix(tap)


def _protocol_match(rule):
    protocol = rule.get('protocol')
    if protocol is None:
        return []
    protocol = str(protocol).lower()
    name = PORT_PROTOCOLS.get(protocol, protocol)
    match = ['-p', name]
    low, high = rule.get('port_range_min'), rule.get('port_range_max')
    if name in ('tcp', 'udp') and low is not None:
        ports = str(low) if high in (None, low) else '%s:%s' % (low, high)
        match += ['-m', name, '--dport', ports]
    elif protocol in ICMP and low is not None:
        match += ['-m', 'icmp', '--icmp-type',
                  str(low) if high is None else '%s/%s' % (low, high)]
    return match


def rule_lines(rule, member_ips):
    """iptables texts (RETURN) of one IPv4 rule; [] for another ethertype or an empty
    remote group. ``member_ips``: {remote group id: {'IPv4': [...]}}."""
    if rule.get('ethertype', 'IPv4') != 'IPv4':
        return []
    side = '-s' if rule['direction'] == 'ingress' else '-d'
    protocol = _protocol_match(rule)
    if rule.get('remote_group_id'):
        peers = member_ips.get(rule['remote_group_id'], {}).get('IPv4', [])
        return [' '.join([side, ip] + protocol + ['-j', 'RETURN']) for ip in peers]
    prefix = rule.get('remote_ip_prefix')
    match = [side, prefix] if prefix and prefix != '0.0.0.0/0' else []
    return [' '.join(match + protocol + ['-j', 'RETURN'])]


def port_chains(tap, port, info):
    """{chain: [texts]} of one port with port security on."""
    rules = [r for group in port.get('security_groups') or ()
             for r in info['security_groups'].get(group, ())]
    members = info.get('sg_member_ips', {})
    ingress = ['-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
               '-m conntrack --ctstate INVALID -j DROP',
               '-p udp -m udp --sport 67 --dport 68 -j RETURN']
    egress = ['-s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 '
              '-j RETURN',
              '-j $%s' % _chain('s', tap),
              '-p udp -m udp --sport 68 --dport 67 -j RETURN',
              '-p udp -m udp --sport 67 --dport 68 -j DROP',
              '-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
              '-m conntrack --ctstate INVALID -j DROP']
    for rule in rules:
        (ingress if rule['direction'] == 'ingress' else egress).extend(
            rule_lines(rule, members))
    sources = [(f['ip_address'], port['mac_address']) for f in port.get('fixed_ips') or ()]
    sources += [(p['ip_address'], p.get('mac_address') or port['mac_address'])
                for p in port.get('allowed_address_pairs') or ()]
    spoof = ['-s %s -m mac --mac-source %s -j RETURN' % (address, mac)
             for address, mac in sources if ':' not in address]
    return {_chain('i', tap): _unique(ingress) + ['-j DROP'],
            _chain('o', tap): _unique(egress) + ['-j DROP'],
            _chain('s', tap): _unique(spoof) + ['-j DROP']}


def _unique(lines):
    return list(dict.fromkeys(lines))


class IptablesFirewall:
    """The filter rules of the host's taps, rewritten as a whole (one iptables-restore)."""

    def __init__(self, manager=None, namespace=None):
        self.manager = manager or iptables_manager.IptablesManager(
            namespace=namespace, binary_name=BINARY, tables=('filter',))
        self.filtered = set()       # taps with chains

    @staticmethod
    def groups_of(ports):
        return sorted({g for port in ports.values() if port.get('port_security_enabled', True)
                       for g in port.get('security_groups') or ()})

    def update(self, ports, info):
        """``ports``: {tap: device details (mac_address, fixed_ips, security_groups,
        port_security_enabled, allowed_address_pairs)} of every wired tap; ``info``: what
        security_group_info answered for their groups."""
        table = self.manager.ipv4['filter']
        wanted = {tap: port for tap, port in ports.items()
                  if port.get('port_security_enabled', True)}
        with self.manager.defer_apply():
            for tap in sorted(self.filtered - set(wanted)):
                for kind in 'ios':
                    table.remove_chain(_chain(kind, tap))
            jumps = []
            for tap, port in sorted(wanted.items()):
                chains = port_chains(tap, port, info)
                for chain in chains:
                    table.add_chain(chain)
                for chain, texts in chains.items():
                    table.set_rules(chain, texts)
                jumps += ['-m physdev --physdev-out %s --physdev-is-bridged -j $%s'
                          % (tap, _chain('i', tap)),
                          '-m physdev --physdev-in %s --physdev-is-bridged -j $%s'
                          % (tap, _chain('o', tap))]
            table.set_rules('FORWARD', jumps)
            table.set_rules('INPUT', ['-m physdev --physdev-in %s -j $%s'
                                      % (tap, _chain('o', tap)) for tap in sorted(wanted)])
        self.filtered = set(wanted)
