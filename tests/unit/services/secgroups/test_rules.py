"""security group rules: validation (Neutron's 400s), duplicates, bulk, quota, filters."""

import pytest

from netmgr import exceptions


@pytest.fixture
def group(tenant_a):
    return tenant_a.create_security_group(name='web')


@pytest.fixture
def add_rule(tenant_a, group):
    def add(**attrs):
        attrs.setdefault('security_group_id', group['id'])
        attrs.setdefault('direction', 'ingress')
        return tenant_a.create_security_group_rule(**attrs)
    return add


def test_ssh_rule_as_the_cli_sends_it(add_rule, group, tenant_a):
    rule = add_rule(protocol='tcp', port_range_min=22, port_range_max=22,
                    remote_ip_prefix='0.0.0.0/0', ethertype='IPv4')
    assert rule['protocol'] == 'tcp' and rule['port_range_min'] == 22
    assert rule['remote_ip_prefix'] == '0.0.0.0/0' and rule['remote_group_id'] is None
    assert rule['tenant_id'] == rule['project_id'] == 'tenant-a'
    assert rule['id'] in [r['id'] for r in
                          tenant_a.show_security_group(group['id'])['security_group_rules']]
    assert tenant_a.show_security_group_rule(rule['id']) == rule


def test_defaults_and_normalised_values(add_rule):
    rule = add_rule(ethertype='ipv6', protocol='UDP', remote_ip_prefix='2001:db8::5/64',
                    port_range_min='53', port_range_max=53)
    assert rule['ethertype'] == 'IPv6' and rule['protocol'] == 'udp'
    assert rule['remote_ip_prefix'] == '2001:db8::/64' and rule['port_range_min'] == 53
    plain = add_rule()
    assert plain['ethertype'] == 'IPv4' and plain['protocol'] is None
    assert plain['port_range_min'] is None and plain['port_range_max'] is None
    assert add_rule(protocol=17, direction='egress', remote_ip_prefix='10.0.0.1')[
        'protocol'] == '17'


@pytest.mark.parametrize('attrs, error', [
    ({'protocol': 'tcp', 'port_range_min': 80, 'port_range_max': 22},
     exceptions.SecurityGroupInvalidPortRange),
    ({'protocol': 'tcp', 'port_range_min': 80}, exceptions.SecurityGroupInvalidPortRange),
    ({'protocol': 'udp', 'port_range_min': 0, 'port_range_max': 10},
     exceptions.SecurityGroupInvalidPortValue),
    ({'protocol': 'tcp', 'port_range_min': 1, 'port_range_max': 65536},
     exceptions.SecurityGroupInvalidPortValue),
    ({'protocol': 'tcp', 'port_range_min': 'ssh', 'port_range_max': 22},
     exceptions.SecurityGroupInvalidPortValue),
    ({'port_range_min': 22, 'port_range_max': 22},
     exceptions.SecurityGroupProtocolRequiredWithPorts),
    ({'protocol': 'gre', 'port_range_min': 22, 'port_range_max': 22},
     exceptions.SecurityGroupInvalidProtoForPortRange),
    ({'protocol': 'icmp', 'port_range_min': 256}, exceptions.SecurityGroupInvalidIcmpValue),
    ({'protocol': 'icmp', 'port_range_min': 8, 'port_range_max': 300},
     exceptions.SecurityGroupInvalidIcmpValue),
    ({'protocol': 'icmp', 'port_range_max': 0}, exceptions.SecurityGroupMissingIcmpType),
    ({'protocol': 'bogus'}, exceptions.SecurityGroupRuleInvalidProtocol),
    ({'protocol': 256}, exceptions.SecurityGroupRuleInvalidProtocol),
    ({'protocol': '-1'}, exceptions.SecurityGroupRuleInvalidProtocol),
    ({'protocol': ['tcp']}, exceptions.SecurityGroupRuleInvalidProtocol),
    ({'remote_ip_prefix': '10.0.0.0/8', 'remote_group_id': 'SELF'},
     exceptions.SecurityGroupRemoteGroupAndRemoteIpPrefix),
    ({'remote_ip_prefix': '2001:db8::/64'}, exceptions.SecurityGroupRuleParameterConflict),
    ({'remote_ip_prefix': '10.0.0.0/8', 'ethertype': 'IPv6'},
     exceptions.SecurityGroupRuleParameterConflict),
    ({'protocol': 'icmpv6'}, exceptions.SecurityGroupEthertypeConflictWithProtocol),
    ({'remote_ip_prefix': '10.0.0.300/8'}, exceptions.InvalidCIDR),
    ({'remote_ip_prefix': 'ten'}, exceptions.InvalidCIDR),
    ({'remote_ip_prefix': '10.0.0.0/x'}, exceptions.InvalidCIDR),
    ({'direction': 'sideways'}, exceptions.InvalidInput),
    ({'ethertype': 'IPv5'}, exceptions.InvalidInput),
    ({'remote_group_id': 'not-a-uuid'}, exceptions.InvalidInput),
])
def test_bad_rules_are_400s(add_rule, group, tenant_a, attrs, error, count_rows):
    if attrs.get('remote_group_id') == 'SELF':
        attrs = dict(attrs, remote_group_id=group['id'])
    with pytest.raises(error) as info:
        add_rule(**attrs)
    assert isinstance(info.value, exceptions.BadRequest)
    assert len(tenant_a.show_security_group(group['id'])['security_group_rules']) == 2


def test_a_rule_needs_a_direction_and_a_group(tenant_a, group):
    with pytest.raises(exceptions.InvalidInput):
        tenant_a.create_security_group_rule(security_group_id=group['id'])
    with pytest.raises(exceptions.InvalidInput):
        tenant_a.create_security_group_rule(direction='ingress')


def test_unknown_group_is_404(add_rule):
    missing = '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'
    with pytest.raises(exceptions.SecurityGroupNotFound):
        add_rule(security_group_id=missing)
    with pytest.raises(exceptions.SecurityGroupNotFound):
        add_rule(remote_group_id=missing)


def test_duplicate_rule_is_409_naming_the_existing_rule(add_rule, group):
    rule = add_rule(protocol='tcp', port_range_min=22, port_range_max=22)
    with pytest.raises(exceptions.SecurityGroupRuleExists) as info:
        add_rule(protocol='6', port_range_min=22, port_range_max=22, description='again')
    assert str(info.value) == 'Security group rule already exists. Rule id is %s.' % rule['id']
    egress = group['security_group_rules'][0]
    with pytest.raises(exceptions.SecurityGroupRuleExists):
        add_rule(direction='egress', ethertype=egress['ethertype'])
    add_rule(protocol='tcp', port_range_min=22, port_range_max=23)   # another rule


def test_bulk_create_is_one_transaction(tenant_a, group, count_rows):
    good = {'security_group_id': group['id'], 'direction': 'ingress', 'protocol': 'tcp',
            'port_range_min': 80, 'port_range_max': 80}
    created = tenant_a.create_security_group_rules([good, dict(good, port_range_min=443,
                                                               port_range_max=443)])
    assert sorted(r['port_range_min'] for r in created) == [80, 443]
    before = count_rows('security_group_rules')
    with pytest.raises(exceptions.SecurityGroupRuleExists):
        tenant_a.create_security_group_rules([dict(good, port_range_min=8080,
                                                   port_range_max=8080), good])
    with pytest.raises(exceptions.DuplicateSecurityGroupRuleInPost):
        tenant_a.create_security_group_rules([dict(good, port_range_min=1, port_range_max=1),
                                              dict(good, port_range_min=1, port_range_max=1)])
    with pytest.raises(exceptions.SecurityGroupInvalidPortRange):
        tenant_a.create_security_group_rules([dict(good, port_range_min=9, port_range_max=9),
                                              dict(good, port_range_min=9, port_range_max=1)])
    assert count_rows('security_group_rules') == before


def test_rule_quota(client, tenant_a, add_rule):
    tenant_a.list_security_groups()
    # default group 4 rules + web's 2: a limit of 7 leaves room for one.
    client.services.quotas.update(client.context, 'tenant-a', {'security_group_rule': 7})
    add_rule(protocol='tcp', port_range_min=1, port_range_max=1)
    with pytest.raises(exceptions.OverQuota):
        add_rule(protocol='tcp', port_range_min=2, port_range_max=2)


def test_rule_delete_and_description_update(tenant_a, add_rule):
    rule = add_rule(protocol='icmp', port_range_min=8, port_range_max=0)
    assert tenant_a.update('security_group_rules', 'security_group_rule', rule['id'],
                           {'description': 'ping'})['description'] == 'ping'
    with pytest.raises(exceptions.InvalidInput):
        tenant_a.update('security_group_rules', 'security_group_rule', rule['id'],
                        {'protocol': 'tcp'})
    tenant_a.delete_security_group_rule(rule['id'])
    with pytest.raises(exceptions.SecurityGroupRuleNotFound):
        tenant_a.show_security_group_rule(rule['id'])


def test_rule_filters(tenant_a, group, add_rule):
    ssh = add_rule(protocol='tcp', port_range_min=22, port_range_max=22)
    mine = tenant_a.list_security_group_rules(security_group_id=group['id'])
    assert len(mine) == 3
    assert [r['id'] for r in tenant_a.list_security_group_rules(
        security_group_id=group['id'], direction='ingress')] == [ssh['id']]
    assert [r['id'] for r in tenant_a.list_security_group_rules(protocol='tcp')] == [ssh['id']]
    assert len(tenant_a.list_security_group_rules(security_group_id=group['id'],
                                                  ethertype='IPv6')) == 1
    assert tenant_a.list_security_group_rules(port_range_min=23) == []


def test_admin_adds_a_rule_to_a_tenants_group_the_tenant_sees_it(client, tenant_a, group):
    rule = client.create_security_group_rule(security_group_id=group['id'],
                                             direction='ingress', protocol='udp')
    assert rule['tenant_id'] == 'admin-tenant'
    assert tenant_a.show_security_group_rule(rule['id'])['id'] == rule['id']
