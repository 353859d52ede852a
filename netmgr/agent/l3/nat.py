"""The nat rules of one router, as Neutron's L3 agent writes them, in the agent's wrapped
chains (``$name`` is the wrapped chain ``name``):

- POSTROUTING: traffic that does not leave through the gateway device and was not DNATed is
  accepted untouched (no SNAT between internal subnets), the rest goes to ``snat``;
- snat: floating IPs first (``float-snat``), then each internal subnet to the gateway IP when
  SNAT is enabled;
- PREROUTING and OUTPUT: a floating IP is DNATed to its fixed IP;
- float-snat: a fixed IP with a floating IP leaves with the floating IP as its source.
"""

import ipaddress

CHAINS = ('PREROUTING', 'OUTPUT', 'POSTROUTING', 'snat', 'float-snat')
# Chains the manager does not make by itself (it wraps the built-ins).
EXTRA_CHAINS = ('snat', 'float-snat')


def _ipv4(address):
    return ipaddress.ip_address(address).version == 4


def router_rules(gw_device, gw_ip, internal_cidrs, enable_snat, floating_ips):
    """{chain: [rule]} for every chain of CHAINS. ``floating_ips``: [(floating, fixed)];
    ``gw_device`` None (no gateway) gives empty chains."""
    rules = {chain: [] for chain in CHAINS}
    if not gw_device:
        return rules
    rules['POSTROUTING'] = ['! -o %s -m conntrack ! --ctstate DNAT -j ACCEPT' % gw_device,
                            '-j $snat']
    rules['snat'] = ['-j $float-snat']
    if enable_snat and gw_ip and _ipv4(gw_ip):
        rules['snat'] += ['-s %s -j SNAT --to-source %s' % (cidr, gw_ip)
                          for cidr in internal_cidrs
                          if ipaddress.ip_network(cidr).version == 4]
    for floating, fixed in sorted(floating_ips):
        if not (_ipv4(floating) and _ipv4(fixed)):
            continue
        dnat = '-d %s/32 -j DNAT --to-destination %s' % (floating, fixed)
        rules['PREROUTING'].append(dnat)
        rules['OUTPUT'].append(dnat)
        rules['float-snat'].append('-s %s/32 -j SNAT --to-source %s' % (fixed, floating))
    return rules


def apply_to(table, rules):
    """Put ``rules`` (from router_rules) in the nat IptablesTable ``table``."""
    for chain in EXTRA_CHAINS:
        table.add_chain(chain)
    for chain in CHAINS:
        table.set_rules(chain, rules[chain])
