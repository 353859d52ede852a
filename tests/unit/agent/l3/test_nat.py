"""The nat rules of a router (Neutron's L3 agent semantics)."""

from netmgr.agent.l3 import nat
from netmgr.agent.l3 import router
from netmgr.agent.linux import iptables_manager


def test_snat_of_internal_subnets_and_floating_ips():
    rules = nat.router_rules('qg-1', '172.24.4.5', ['10.0.0.0/24', '10.0.1.0/24'], True,
                             [('172.24.4.10', '10.0.0.5')])
    assert rules == {
        'PREROUTING': ['-d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.5'],
        'OUTPUT': ['-d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.5'],
        'POSTROUTING': ['! -o qg-1 -m conntrack ! --ctstate DNAT -j ACCEPT', '-j $snat'],
        'snat': ['-j $float-snat', '-s 10.0.0.0/24 -j SNAT --to-source 172.24.4.5',
                 '-s 10.0.1.0/24 -j SNAT --to-source 172.24.4.5'],
        'float-snat': ['-s 10.0.0.5/32 -j SNAT --to-source 172.24.4.10']}


def test_without_snat_floating_ips_still_translate():
    rules = nat.router_rules('qg-1', '172.24.4.5', ['10.0.0.0/24'], False,
                             [('172.24.4.10', '10.0.0.5')])
    assert rules['snat'] == ['-j $float-snat']
    assert rules['float-snat'] == ['-s 10.0.0.5/32 -j SNAT --to-source 172.24.4.10']


def test_no_gateway_no_rules_and_ipv6_is_left_out():
    assert not any(nat.router_rules(None, None, ['10.0.0.0/24'], True, []).values())
    rules = nat.router_rules('qg-1', '172.24.4.5', ['10.0.0.0/24', 'fd00::/64'], True, [])
    assert rules['snat'] == ['-j $float-snat', '-s 10.0.0.0/24 -j SNAT --to-source 172.24.4.5']


def test_rules_land_in_the_wrapped_chains():
    table = iptables_manager.IptablesTable('nat', 'netmgr-l3-agen-')
    nat.apply_to(table, nat.router_rules('qg-1', '172.24.4.5', ['10.0.0.0/24'], True, []))
    lines = iptables_manager.render_table(table, None)
    assert '-A netmgr-l3-agen-POSTROUTING -j netmgr-l3-agen-snat' in lines
    assert '-A netmgr-l3-agen-snat -j netmgr-l3-agen-float-snat' in lines
    table.dirty = False
    nat.apply_to(table, nat.router_rules('qg-1', '172.24.4.5', ['10.0.0.0/24'], True, []))
    assert not table.dirty


def test_port_addresses_and_gateway():
    port = {'fixed_ips': [{'subnet_id': 's1', 'ip_address': '172.24.4.5'},
                          {'subnet_id': 's2', 'ip_address': 'fd00::5'}],
            'subnets': [{'id': 's2', 'cidr': 'fd00::/64', 'gateway_ip': 'fd00::1'},
                        {'id': 's1', 'cidr': '172.24.4.0/24', 'gateway_ip': '172.24.4.1'}]}
    assert router.port_cidrs(port) == ['172.24.4.5/24', 'fd00::5/64']
    assert router.gateway_ip(port) == '172.24.4.1'
