"""netmgr.api.policy: the default rules (owner, admin, shared) and operator overrides."""

import pytest

from netmgr.api import policy as api_policy
from netmgr import conf as conf_mod
from netmgr import context as ctx
from netmgr import exceptions
from tests.unit.conftest import as_tenant

ADMIN = ctx.admin_context('admin-tenant')
ALICE = ctx.tenant_context('tenant-a')
BOB = ctx.tenant_context('tenant-b')


@pytest.fixture
def engine(make_conf):
    return api_policy.PolicyEngine(make_conf())


@pytest.fixture
def make_policy_conf(make_conf, tmp_path):
    def make(rules):
        path = tmp_path / 'policy.yaml'
        path.write_text(''.join('"%s": "%s"\n' % item for item in rules.items()))
        # Through a config file: oslo.policy's set_defaults would change its shared Opt
        # objects, and so the policy of every later test.
        conf_file = tmp_path / 'netmgr.conf'
        conf_file.write_text('[oslo_policy]\npolicy_file = %s\n' % path)
        return conf_mod.new_conf(['--config-file', str(conf_file)], state_path=str(tmp_path))
    return make


def network(owner='tenant-a', shared=False):
    return {'tenant_id': owner, 'shared': shared}


def child(owner, net_owner='tenant-a', net_shared=False, **extra):
    return dict({'tenant_id': owner, 'network:tenant_id': net_owner,
                 'network:shared': net_shared}, **extra)


@pytest.mark.parametrize('action, target, allowed', [
    ('create_network', network('tenant-a'), {ADMIN, ALICE, BOB}),
    ('create_network:shared', network('tenant-a', True), {ADMIN}),
    ('get_network', network('tenant-a'), {ADMIN, ALICE}),
    ('get_network', network('tenant-a', True), {ADMIN, ALICE, BOB}),
    ('update_network', network('tenant-a', True), {ADMIN, ALICE}),
    ('update_network:shared', network('tenant-a'), {ADMIN}),
    ('delete_network', network('tenant-a', True), {ADMIN, ALICE}),
    ('create_subnet', child('tenant-a'), {ADMIN, ALICE}),
    ('create_subnet', child('tenant-b', 'tenant-a', True), {ADMIN, ALICE}),
    ('get_subnet', child('tenant-a'), {ADMIN, ALICE}),
    ('get_subnet', child('tenant-a', 'tenant-a', True), {ADMIN, ALICE, BOB}),
    ('update_subnet', child('tenant-a', 'tenant-a', True), {ADMIN, ALICE}),
    ('delete_subnet', child('tenant-a', 'tenant-a', True), {ADMIN, ALICE}),
    ('create_port', child('tenant-b'), {ADMIN, ALICE, BOB}),
    ('create_port:mac_address', child('tenant-b', 'tenant-a', True), {ADMIN, ALICE}),
    ('create_port:fixed_ips', child('tenant-b', 'tenant-a'), {ADMIN, ALICE}),
    ('create_port:fixed_ips', child('tenant-b', 'tenant-a', True), {ADMIN, ALICE, BOB}),
    ('create_port:device_owner', child('tenant-b', network_device=False),
     {ADMIN, ALICE, BOB}),
    ('create_port:device_owner', child('tenant-b', 'tenant-a', True, network_device=True),
     {ADMIN, ALICE}),
    ('get_port', child('tenant-b', 'tenant-a'), {ADMIN, ALICE, BOB}),
    ('get_port', child('tenant-a', 'tenant-a', True), {ADMIN, ALICE}),
    ('update_port', child('tenant-a', 'tenant-a', True), {ADMIN, ALICE}),
    ('delete_port', child('tenant-b', 'tenant-a'), {ADMIN, ALICE, BOB}),
    ('delete_port', child('tenant-a', 'tenant-a', True), {ADMIN, ALICE}),
])
def test_default_rules(engine, action, target, allowed):
    verdicts = {c: engine.check(c, action, target) for c in (ADMIN, ALICE, BOB)}
    assert {c for c, ok in verdicts.items() if ok} == allowed


def test_admin_role_makes_any_tenant_an_admin(engine):
    boss = ctx.tenant_context('tenant-c', roles=('member', 'admin'))
    assert boss.is_admin
    assert engine.check(boss, 'update_network', network('tenant-a'))


def test_enforce_raises_policy_not_authorized(engine):
    engine.enforce(ALICE, 'update_network', network('tenant-a'))
    with pytest.raises(exceptions.PolicyNotAuthorized) as info:
        engine.enforce(BOB, 'update_network', network('tenant-a'))
    assert isinstance(info.value, exceptions.NotAuthorized)
    assert str(info.value) == '(rule:update_network) is disallowed by policy.'


def test_defaults_are_reported_as_default(engine):
    assert engine.is_default('get_network')
    assert engine.has_rule('create_port:fixed_ips')
    assert not engine.has_rule('create_widget')


def test_policy_file_overrides_a_default(make_policy_conf):
    engine = api_policy.PolicyEngine(make_policy_conf({'create_network': 'rule:admin_only'}))
    assert not engine.is_default('create_network')
    assert engine.is_default('get_network')
    assert not engine.check(ALICE, 'create_network', network('tenant-a'))
    assert engine.check(ADMIN, 'create_network', network('tenant-a'))


def test_listed_rules_match_the_defaults():
    names = [rule.name for rule in api_policy.list_rules()]
    assert len(names) == len(set(names))
    for verb in ('create', 'get', 'update', 'delete'):
        for resource in ('network', 'subnet', 'port'):
            assert '%s_%s' % (verb, resource) in names


# ---- overrides as the pipeline applies them ---------------------------------------------

def _client(make_client, make_policy_conf, rules):
    client = make_client()
    conf = make_policy_conf(rules)
    client.ops.policy = api_policy.PolicyEngine(conf)
    return client


def test_overridden_get_rule_hides_resources(make_client, make_policy_conf):
    client = _client(make_client, make_policy_conf, {'get_network': 'rule:admin_only'})
    alice = as_tenant(client, 'tenant-a')
    net = alice.create_network(name='mine')
    with pytest.raises(exceptions.NetworkNotFound):
        alice.show_network(net['id'])
    assert alice.list_networks() == []
    assert [n['id'] for n in client.list_networks()] == [net['id']]


def test_overridden_create_rule_refuses(make_client, make_policy_conf):
    client = _client(make_client, make_policy_conf, {'create_network': 'rule:admin_only'})
    with pytest.raises(exceptions.PolicyNotAuthorized):
        as_tenant(client, 'tenant-a').create_network()
    assert client.create_network()['tenant_id'] == 'admin-tenant'


def test_tenant_cannot_pick_an_ip_on_someone_elses_shared_network(client, tenant_b):
    net = client.create_network(shared=True, tenant_id='tenant-a')
    subnet = client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24',
                                  tenant_id='tenant-a')
    port = tenant_b.create_port(network_id=net['id'], fixed_ips=[{'subnet_id': subnet['id']}])
    assert port['fixed_ips'][0]['subnet_id'] == subnet['id']
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant_b.create_port(network_id=net['id'], fixed_ips=[{'ip_address': '10.0.0.50'}])
