"""security groups and their rules through the Python API (in-memory SQLite)."""

import pytest

from netmgr import exceptions
from tests.unit.conftest import as_tenant


def _rules(group):
    return sorted((r['direction'], r['ethertype'], r['remote_group_id'] == group['id'])
                  for r in group['security_group_rules'])


def _default(client):
    groups = client.list_security_groups(name='default')
    assert len(groups) == 1
    return groups[0]


def test_listing_makes_the_default_group_with_neutrons_four_rules(tenant_a):
    default = _default(tenant_a)
    assert default['tenant_id'] == default['project_id'] == 'tenant-a'
    assert _rules(default) == [('egress', 'IPv4', False), ('egress', 'IPv6', False),
                               ('ingress', 'IPv4', True), ('ingress', 'IPv6', True)]
    for rule in default['security_group_rules']:
        assert rule['remote_ip_prefix'] is None and rule['protocol'] is None
    assert [g['id'] for g in tenant_a.list_security_groups()] == [default['id']]


def test_a_group_gets_two_egress_rules_and_the_tenant_its_default(tenant_a, count_rows):
    group = tenant_a.create_security_group(name='web', description='www')
    assert group['name'] == 'web' and group['description'] == 'www'
    assert _rules(group) == [('egress', 'IPv4', False), ('egress', 'IPv6', False)]
    assert count_rows('default_security_group', tenant_id='tenant-a') == 1
    assert sorted(g['name'] for g in tenant_a.list_security_groups()) == ['default', 'web']
    shown = tenant_a.show_security_group(group['id'])
    assert shown['security_group_rules'] == group['security_group_rules']


def test_one_default_group_however_often_it_is_needed(tenant_a, make_subnet, count_rows):
    subnet = make_subnet(owner=tenant_a)
    for _ in range(3):
        tenant_a.list_security_groups()
        tenant_a.create_port(network_id=subnet['network_id'])
    assert count_rows('security_groups', tenant_id='tenant-a') == 1
    assert count_rows('security_group_rules', tenant_id='tenant-a') == 4


def test_update_name_and_description(tenant_a):
    group = tenant_a.create_security_group(name='web')
    updated = tenant_a.update_security_group(group['id'], name='www', description='d')
    assert updated['name'] == 'www' and updated['description'] == 'd'


def test_the_name_default_is_reserved(tenant_a):
    with pytest.raises(exceptions.SecurityGroupDefaultAlreadyExists):
        tenant_a.create_security_group(name='default')
    group = tenant_a.create_security_group(name='web')
    with pytest.raises(exceptions.SecurityGroupDefaultAlreadyExists):
        tenant_a.update_security_group(group['id'], name='default')


def test_the_default_group_cannot_be_renamed_or_removed_by_its_tenant(tenant_a):
    default = _default(tenant_a)
    with pytest.raises(exceptions.SecurityGroupCannotUpdateDefault) as info:
        tenant_a.update_security_group(default['id'], name='other')
    assert 'Updating default security group not allowed' in str(info.value)
    assert tenant_a.update_security_group(default['id'], description='mine')['description'] \
        == 'mine'
    with pytest.raises(exceptions.SecurityGroupCannotRemoveDefault):
        tenant_a.delete_security_group(default['id'])


def test_admin_removes_an_unused_default_group_and_it_comes_back(client, tenant_a):
    first = _default(tenant_a)
    client.delete_security_group(first['id'])
    second = _default(tenant_a)
    assert second['id'] != first['id'] and len(second['security_group_rules']) == 4


def test_a_group_in_use_is_not_deleted(client, tenant_a, make_subnet):
    subnet = make_subnet(owner=tenant_a)
    group = tenant_a.create_security_group(name='web')
    port = tenant_a.create_port(network_id=subnet['network_id'], security_groups=[group['id']])
    with pytest.raises(exceptions.SecurityGroupInUse) as info:
        tenant_a.delete_security_group(group['id'])
    assert str(info.value) == 'Security Group %s in use.' % group['id']
    with pytest.raises(exceptions.SecurityGroupInUse):
        client.delete_security_group(port['security_groups'][0])
    tenant_a.delete_port(port['id'])
    tenant_a.delete_security_group(group['id'])
    with pytest.raises(exceptions.SecurityGroupNotFound):
        tenant_a.show_security_group(group['id'])


def test_deleting_a_group_removes_its_rules_and_rules_naming_it(tenant_a, count_rows):
    web = tenant_a.create_security_group(name='web')
    db = tenant_a.create_security_group(name='db')
    rule = tenant_a.create_security_group_rule(security_group_id=db['id'],
                                               direction='ingress', remote_group_id=web['id'])
    tenant_a.delete_security_group(web['id'])
    assert count_rows('security_group_rules', security_group_id=web['id']) == 0
    with pytest.raises(exceptions.SecurityGroupRuleNotFound):
        tenant_a.show_security_group_rule(rule['id'])


def test_tenants_see_only_their_own_groups_and_rules(tenant_a, tenant_b, make_subnet):
    group = tenant_a.create_security_group(name='web')
    rule_id = group['security_group_rules'][0]['id']
    assert [g['name'] for g in tenant_b.list_security_groups()] == ['default']
    assert all(r['tenant_id'] == 'tenant-b' for r in tenant_b.list_security_group_rules())
    for call in (lambda: tenant_b.show_security_group(group['id']),
                 lambda: tenant_b.update_security_group(group['id'], name='x'),
                 lambda: tenant_b.delete_security_group(group['id']),
                 lambda: tenant_b.create_security_group_rule(
                     security_group_id=group['id'], direction='ingress')):
        with pytest.raises(exceptions.SecurityGroupNotFound):
            call()
    for call in (lambda: tenant_b.show_security_group_rule(rule_id),
                 lambda: tenant_b.delete_security_group_rule(rule_id)):
        with pytest.raises(exceptions.SecurityGroupRuleNotFound):
            call()
    own = tenant_b.create_security_group(name='mine')
    with pytest.raises(exceptions.SecurityGroupNotFound):
        tenant_b.create_security_group_rule(security_group_id=own['id'], direction='ingress',
                                            remote_group_id=group['id'])
    subnet = make_subnet(owner=tenant_b)
    with pytest.raises(exceptions.SecurityGroupNotFound):
        tenant_b.create_port(network_id=subnet['network_id'], security_groups=[group['id']])


def test_admin_sees_every_group_and_lists_by_tenant(client, tenant_a):
    group = tenant_a.create_security_group(name='web')
    assert client.show_security_group(group['id'])['tenant_id'] == 'tenant-a'
    names = sorted(g['name'] for g in client.list_security_groups(tenant_id='tenant-a'))
    assert names == ['default', 'web']
    # Listing another tenant's groups makes that tenant's default group (as Neutron).
    assert [g['name'] for g in client.list_security_groups(tenant_id='tenant-c')] == \
        ['default']


def test_group_list_filters_sorts_and_pages(tenant_a):
    for name in ('b', 'a', 'c'):
        tenant_a.create_security_group(name=name)
    assert sorted(g['name'] for g in tenant_a.list_security_groups(name=['a', 'c'])) == \
        ['a', 'c']
    ordered = tenant_a.list_security_groups(sorts=[('name', False)])
    assert [g['name'] for g in ordered] == ['default', 'c', 'b', 'a']
    page = tenant_a.list_security_groups(sorts=[('name', True)], limit=2)
    assert [g['name'] for g in page] == ['a', 'b']
    fields = tenant_a.list_security_groups(name='a', fields=['name'])
    assert fields == [{'name': 'a'}]


def test_group_quota_counts_the_default_group(client, tenant_a):
    client.services.quotas.update(client.context, 'tenant-a', {'security_group': 2})
    tenant_a.create_security_group(name='one')
    with pytest.raises(exceptions.OverQuota):
        tenant_a.create_security_group(name='two')


def test_bulk_group_create(tenant_a):
    created = tenant_a.create_bulk('security_groups', [{'name': 'x'}, {'name': 'y'}])
    assert [g['name'] for g in created] == ['x', 'y']
    assert as_tenant(tenant_a, 'tenant-a').list_security_groups(name='y')[0]['id'] == \
        created[1]['id']
