"""Security groups on a Linux bridge host: the iptables rules rendered per tap, written as a
whole through the iptables manager, and the server's answer the agent renders them from."""

import functools

from netmgr.agent.linux import iptables_manager
from netmgr.agent.l2.linuxbridge import firewall
from netmgr import client as client_mod
from netmgr import context as ctx
from netmgr.services import notifier
from netmgr import wiring
from tests.unit import conftest as unit_conftest
from tests.unit.agent.linux.test_iptables_manager import FakeExecutor

TAP_A, TAP_B = 'tap11111111-11', 'tap22222222-22'
MAC = 'fa:16:3e:00:00:01'


def _port(groups=('g1',), security=True, pairs=()):
    return {'mac_address': MAC, 'fixed_ips': [{'ip_address': '10.0.0.5'},
                                              {'ip_address': '2001:db8::5'}],
            'security_groups': list(groups), 'port_security_enabled': security,
            'allowed_address_pairs': list(pairs)}


def _rule(direction, **attrs):
    return dict({'direction': direction, 'ethertype': 'IPv4', 'protocol': None,
                 'port_range_min': None, 'port_range_max': None, 'remote_ip_prefix': None,
                 'remote_group_id': None}, **attrs)


def test_rules_render_protocols_ports_prefixes_and_remote_group_members():
    members = {'g2': {'IPv4': ['10.0.0.7', '10.0.0.8'], 'IPv6': ['2001:db8::7']}}
    assert firewall.rule_lines(_rule('ingress', protocol='tcp', port_range_min=22,
                                     port_range_max=22, remote_ip_prefix='192.0.2.0/24'),
                               members) == ['-s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j RETURN']
    assert firewall.rule_lines(_rule('ingress', protocol='udp', port_range_min=1000,
                                     port_range_max=2000), members) == [
        '-p udp -m udp --dport 1000:2000 -j RETURN']
    assert firewall.rule_lines(_rule('ingress', protocol='icmp', port_range_min=8,
                                     port_range_max=0), members) == [
        '-p icmp -m icmp --icmp-type 8/0 -j RETURN']
    assert firewall.rule_lines(_rule('egress', remote_group_id='g2'), members) == [
        '-d 10.0.0.7 -j RETURN', '-d 10.0.0.8 -j RETURN']
    assert firewall.rule_lines(_rule('egress', remote_ip_prefix='0.0.0.0/0'), members) == [
        '-j RETURN']
    assert firewall.rule_lines(_rule('ingress', remote_group_id='empty'), members) == []
    assert firewall.rule_lines(_rule('ingress', ethertype='IPv6'), members) == []


def test_a_ports_chains_allow_its_rules_its_addresses_and_dhcp_and_drop_the_rest():
    info = {'security_groups': {'g1': [_rule('ingress', protocol='tcp', port_range_min=80,
                                             port_range_max=80), _rule('egress')]},
            'sg_member_ips': {}}
    chains = firewall.port_chains(TAP_A, _port(pairs=[{'ip_address': '10.0.9.0/24'}]), info)
    ingress, egress, spoof = chains['i11111111-11'], chains['o11111111-11'], \
        chains['s11111111-11']
    assert ingress[0] == '-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN'
    assert '-p tcp -m tcp --dport 80 -j RETURN' in ingress and ingress[-1] == '-j DROP'
    assert '-j $s11111111-11' in egress and '-j RETURN' in egress and egress[-1] == '-j DROP'
    assert '-p udp -m udp --sport 67 --dport 68 -j DROP' in egress      # no DHCP server
    assert spoof == ['-s 10.0.0.5 -m mac --mac-source %s -j RETURN' % MAC,
                     '-s 10.0.9.0/24 -m mac --mac-source %s -j RETURN' % MAC, '-j DROP']


def test_update_writes_chains_and_jumps_of_filtered_taps_only_and_removes_gone_ones():
    executor = FakeExecutor()
    manager = iptables_manager.IptablesManager(executor=executor, binary_name=firewall.BINARY,
                                               tables=('filter',))
    wall = firewall.IptablesFirewall(manager)
    info = {'security_groups': {'g1': []}, 'sg_member_ips': {}}
    wall.update({TAP_A: _port(), TAP_B: _port(security=False)}, info)
    assert wall.groups_of({TAP_A: _port(), TAP_B: _port(('g9',), security=False)}) == ['g1']
    written = executor.saved
    assert '-m physdev --physdev-out %s --physdev-is-bridged -j netmgr-linuxbr-i11111111-11' \
        % TAP_A in written
    assert ':netmgr-linuxbr-o11111111-11' in written and TAP_B not in written
    wall.update({TAP_B: _port(security=False)}, info)
    assert '11111111' not in executor.saved and wall.filtered == set()


class Recorder(notifier.NullNotifier):
    def __init__(self, *_args):
        self.seen = []

    def security_groups_rule_updated(self, context, group_ids):
        self.seen.append(('rules', sorted(set(group_ids))))

    def port_created(self, context, port):
        self.seen.append(('port', port['security_groups']))


def test_server_answers_rules_and_member_addresses_and_tells_agents_of_rule_changes(make_conf):
    db = unit_conftest.new_schema_db()
    recorder = Recorder()
    _ops, services = wiring.build(
        make_conf(), db, notifier_factory=functools.partial(lambda r, *a: r, recorder))
    client = client_mod.Client(_ops, ctx.admin_context('t1'), services)
    web = client.create_security_group(name='web')
    rule = client.create_security_group_rule(
        security_group_id=web['id'], direction='ingress', ethertype='IPv4',
        remote_group_id=web['id'])
    net = client.create_network(name='n')
    client.create_subnet(network_id=net['id'], cidr='10.0.0.0/24', ip_version=4)
    port = client.create_port(network_id=net['id'], security_groups=[web['id']],
                              allowed_address_pairs=[{'ip_address': '10.0.5.0/24'}])
    info = services.sg_info.info([web['id']])
    assert [r['id'] for r in info['security_groups'][web['id']]][-1] == rule['id']
    assert info['sg_member_ips'] == {web['id']: {
        'IPv4': sorted([port['fixed_ips'][0]['ip_address'], '10.0.5.0/24']), 'IPv6': []}}
    client.delete_security_group_rule(rule['id'])
    assert recorder.seen == [('rules', [web['id']]), ('port', [web['id']]),
                             ('rules', [web['id']])]
    assert services.sg_info.info([]) == {'security_groups': {}, 'sg_member_ips': {}}
    db.dispose()
