"""QuotaService on in-memory SQLite: limits, overrides, validation, policy, check(), usage;
and the quota tables of the models against their migration."""

import datetime
import uuid

from alembic import autogenerate
from alembic.runtime import migration as alembic_migration
import pytest
import sqlalchemy as sa

from netmgr.api.wsgi import faults
from netmgr.conf import quotas as quota_conf
from netmgr import context as ctx
from netmgr.db import migration
from netmgr.db.models import core
from netmgr.db.models import quotas as quota_models
from netmgr import exceptions
from netmgr.services import quotas as quotas_mod
from tests.unit.conftest import as_tenant

DEFAULTS = {'network': 10, 'subnet': 10, 'port': 50, 'router': 10, 'floatingip': 50,
            'security_group': 10, 'security_group_rule': 100}
QUOTA_TABLES = {'quotas', 'quota_locks'}
ADMIN = ctx.admin_context('admin-tenant')
TENANT_A = ctx.tenant_context('tenant-a', user_id='user-a')
LOCKS = quota_models.QuotaLock.__table__
NETWORKS = core.Network.__table__


def make_service(client, policy=None, **limits):
    conf = client.services.conf
    quota_conf.register(conf)
    for option in quota_conf.OPTION_OF.values():  # Neutron's defaults, whatever the fixture set
        conf.clear_override(option, group=quota_conf.GROUP)
    for resource, limit in limits.items():
        conf.set_override(quota_conf.OPTION_OF[resource], limit, group=quota_conf.GROUP)
    return quotas_mod.QuotaService(client.services.db, conf, policy=policy)


@pytest.fixture
def quotas(client):
    return make_service(client)


def insert_networks(session, project_id, count):
    stamp = datetime.datetime(2024, 1, 1)
    for _ in range(count):
        session.execute(NETWORKS.insert().values(
            id=str(uuid.uuid4()), tenant_id=project_id, name='', description='',
            status='ACTIVE', admin_state_up=True, shared=False, created_at=stamp,
            updated_at=stamp))


def create_checked(service, project_id, count=1):
    """What a network create_bulk does once hooked: check, then insert, one transaction."""
    with service.db.writer() as session:
        service.check(session, project_id, 'network', count)
        insert_networks(session, project_id, count)


# ---- configuration -------------------------------------------------------------------------

def test_options_are_neutrons(make_conf):
    conf = make_conf()
    quota_conf.register(conf)
    quota_conf.register(conf)  # idempotent
    assert quota_conf.defaults(conf) == DEFAULTS
    assert list(quota_conf.defaults(conf)) == list(quota_conf.RESOURCES)
    (group, opts), = quota_conf.list_opts()
    assert group == 'QUOTAS'
    assert {o.name for o in opts} == {'quota_' + r for r in DEFAULTS}
    with pytest.raises(ValueError):
        conf.set_override('quota_network', -2, group='QUOTAS')


# ---- limits ----------------------------------------------------------------------------

def test_defaults_then_overrides(quotas):
    assert quotas.get(ADMIN, 'p1') == DEFAULTS
    updated = quotas.update(ADMIN, 'p1', {'network': 5, 'port': '-1'})
    assert updated == dict(DEFAULTS, network=5, port=-1)
    assert quotas.get(ADMIN, 'p1') == updated
    assert quotas.get_default(ADMIN, 'p1') == DEFAULTS
    assert quotas.get(ADMIN, 'p2') == DEFAULTS
    assert quotas.update(ADMIN, 'p1', {'network': 7})['network'] == 7


def test_config_defaults_apply_where_not_overridden(client):
    service = make_service(client, network=3, port=-1)
    assert service.get(ADMIN, 'p1') == dict(DEFAULTS, network=3, port=-1)
    service.update(ADMIN, 'p1', {'network': 4})
    assert service.get(ADMIN, 'p1') == dict(DEFAULTS, network=4, port=-1)


def test_list_shows_projects_with_overrides(quotas):
    assert quotas.list(ADMIN) == []
    quotas.update(ADMIN, 'p2', {'subnet': 1})
    quotas.update(ADMIN, 'p1', {'network': 2})
    listed = quotas.list(ADMIN)
    assert [q['project_id'] for q in listed] == ['p1', 'p2']
    assert listed[0] == dict(DEFAULTS, network=2, project_id='p1', tenant_id='p1')
    assert listed[1]['subnet'] == 1


def test_delete_resets_to_defaults_and_is_idempotent(quotas):
    quotas.update(ADMIN, 'p1', {'network': 2, 'router': 0})
    quotas.delete(ADMIN, 'p1')
    assert quotas.get(ADMIN, 'p1') == DEFAULTS
    assert quotas.list(ADMIN) == []
    quotas.delete(ADMIN, 'p1')


@pytest.mark.parametrize('value', ['abc', '', 1.5, None, True, [], {}, -2, '-5', 2 ** 31])
def test_invalid_limits_are_400(quotas, value):
    with pytest.raises(exceptions.InvalidInput) as info:
        quotas.update(ADMIN, 'p1', {'network': value})
    assert faults.status_for(info.value) == 400
    assert quotas.get(ADMIN, 'p1') == DEFAULTS


def test_unknown_resource_is_400_and_nothing_is_stored(quotas):
    with pytest.raises(exceptions.InvalidInput) as info:
        quotas.update(ADMIN, 'p1', {'network': 1, 'volumes': 3, 'cores': 1})
    assert "Unrecognized attribute(s) 'cores, volumes'" in str(info.value)
    assert quotas.get(ADMIN, 'p1') == DEFAULTS


def test_limits_at_the_bounds(quotas):
    assert quotas.update(ADMIN, 'p1', {'network': -1, 'port': 2 ** 31 - 1, 'subnet': 0}) == \
        dict(DEFAULTS, network=-1, port=2 ** 31 - 1, subnet=0)


def test_update_body_must_be_a_dict(quotas):
    with pytest.raises(exceptions.MalformedRequestBody):
        quotas.update(ADMIN, 'p1', ['network'])


def test_check_limit_refuses_a_limit_below_usage(client, quotas):
    for _ in range(3):
        client.create_network()
    project = ADMIN.tenant_id
    with pytest.raises(exceptions.InvalidInput) as info:
        quotas.update(ADMIN, project, {'network': 2, 'check_limit': True})
    assert 'already used 3' in str(info.value)
    assert quotas.update(ADMIN, project, {'network': 3, 'check_limit': 'true'})['network'] == 3
    assert quotas.update(ADMIN, project, {'network': -1, 'check_limit': True})['network'] == -1
    # force (the default) sets it anyway
    assert quotas.update(ADMIN, project, {'network': 1, 'force': True})['network'] == 1
    with pytest.raises(exceptions.InvalidInput):
        quotas.update(ADMIN, project, {'network': 1, 'force': True, 'check_limit': True})
    with pytest.raises(exceptions.InvalidInput):
        quotas.update(ADMIN, project, {'force': 'maybe'})


# ---- policy ------------------------------------------------------------------------------

def test_non_admin_cannot_change_or_list(quotas):
    for call in (lambda: quotas.update(TENANT_A, 'tenant-a', {'network': 100}),
                 lambda: quotas.delete(TENANT_A, 'tenant-a'),
                 lambda: quotas.list(TENANT_A)):
        with pytest.raises(exceptions.NotAuthorized) as info:
            call()
        assert faults.status_for(info.value) == 403
    assert quotas.get(TENANT_A, 'tenant-a') == DEFAULTS


def test_tenant_reads_its_own_quota_only(quotas):
    assert quotas.get(TENANT_A, 'tenant-a') == DEFAULTS
    assert quotas.get_default(TENANT_A, 'tenant-a') == DEFAULTS
    assert quotas.usage(TENANT_A, 'tenant-a')['network']['limit'] == 10
    with pytest.raises(exceptions.PolicyNotAuthorized):
        quotas.get(TENANT_A, 'tenant-b')
    with pytest.raises(exceptions.PolicyNotAuthorized):
        quotas.get_default(TENANT_A, 'tenant-b')
    with pytest.raises(exceptions.AdminRequired):
        quotas.usage(TENANT_A, 'tenant-b')


def test_an_injected_policy_decides(client):
    class Allow:
        seen = []

        def enforce(self, context, action, target):
            self.seen.append((action, target))

    policy = Allow()
    service = make_service(client, policy=policy)
    assert service.update(TENANT_A, 'tenant-b', {'network': 1})['network'] == 1
    assert policy.seen == [('update_quota', {'project_id': 'tenant-a',
                                             'tenant_id': 'tenant-a'})]
    assert {name for name, _rule in quotas_mod.POLICY_RULES} == {
        'get_quota', 'update_quota', 'delete_quota'}


# ---- usage -------------------------------------------------------------------------------

def test_usage_counts_the_projects_rows(client, quotas):
    tenant = as_tenant(client, 'tenant-a')
    net = tenant.create_network()
    tenant.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24')
    tenant.create_port(network_id=net['id'])
    tenant.create_port(network_id=net['id'])
    client.create_network()  # the admin tenant's: not counted for tenant-a
    quotas.update(ADMIN, 'tenant-a', {'port': 5})
    usage = quotas.usage(TENANT_A, 'tenant-a')
    assert list(usage) == list(quota_conf.RESOURCES)
    assert usage['network'] == {'limit': 10, 'used': 1, 'reserved': 0}
    assert usage['subnet'] == {'limit': 10, 'used': 1, 'reserved': 0}
    assert usage['port'] == {'limit': 5, 'used': 2, 'reserved': 0}
    assert usage['router'] == {'limit': 10, 'used': 0, 'reserved': 0}


# ---- check() -----------------------------------------------------------------------------

def test_check_allows_up_to_the_limit_then_raises_over_quota(client, count_rows):
    service = make_service(client, network=2)
    create_checked(service, 'p1')
    create_checked(service, 'p1')
    with pytest.raises(exceptions.OverQuota) as info:
        create_checked(service, 'p1')
    assert str(info.value) == "Quota exceeded for resources: ['network']."
    assert faults.status_for(info.value) == 409
    response = faults.to_response(info.value)
    assert response.json['NeutronError']['type'] == 'OverQuota'
    assert count_rows('networks', tenant_id='p1') == 2
    create_checked(service, 'p2', 2)  # another project has its own count


def test_check_counts_the_request_as_a_whole(client, count_rows):
    service = make_service(client, network=3)
    create_checked(service, 'p1', 2)
    with pytest.raises(exceptions.OverQuota):
        create_checked(service, 'p1', 2)
    assert count_rows('networks', tenant_id='p1') == 2
    create_checked(service, 'p1', 1)


def test_unlimited_and_zero(client, count_rows):
    service = make_service(client, network=-1)
    create_checked(service, 'p1', 25)
    assert count_rows('networks') == 25
    assert count_rows('quota_locks') == 0  # no lock taken for an unlimited resource
    service.update(ADMIN, 'p1', {'network': 0})
    with pytest.raises(exceptions.OverQuota):
        create_checked(service, 'p1')
    service.update(ADMIN, 'p1', {'network': -1})
    create_checked(service, 'p1')
    with service.db.writer() as session:
        service.check(session, 'p1', 'network', 0)  # nothing asked, nothing checked


def test_override_beats_default_in_check(client):
    service = make_service(client, network=1)
    service.update(ADMIN, 'p1', {'network': 3})
    for _ in range(3):
        create_checked(service, 'p1')
    with pytest.raises(exceptions.OverQuota):
        create_checked(service, 'p1')


def test_check_items_counts_per_project_and_names_every_over(client):
    service = make_service(client, network=2, subnet=0)
    with service.db.writer() as session:
        service.check_items(session, 'network', [{'tenant_id': 'a'}, {'tenant_id': 'b'},
                                                 {'tenant_id': 'a'}])
    with pytest.raises(exceptions.OverQuota):
        with service.db.writer() as session:
            service.check_items(session, 'network', [{'tenant_id': 'a'}] * 3)
    with pytest.raises(exceptions.OverQuota) as info:
        with service.db.writer() as session:
            service.check_many(session, {('a', 'network'): 3, ('a', 'subnet'): 1})
    assert info.value.kwargs['overs'] == ['network', 'subnet']


def test_check_bumps_the_lock_rows_generation(client):
    service = make_service(client, network=5)
    for expected in (1, 2, 3):
        create_checked(service, 'p1')
        with service.db.reader() as session:
            assert session.execute(sa.select(LOCKS.c.generation).where(
                LOCKS.c.project_id == 'p1', LOCKS.c.resource == 'network')).scalar() == expected


def test_a_failed_check_leaves_nothing_behind(client, count_rows):
    service = make_service(client, network=1)
    create_checked(service, 'p1')
    with pytest.raises(exceptions.OverQuota):
        create_checked(service, 'p1')
    assert count_rows('networks') == 1


def test_count_sources_registry(client):
    service = make_service(client, router=1)
    with pytest.raises(ValueError):
        service.register_count_source('volume', NETWORKS.c.tenant_id)
    with pytest.raises(ValueError):
        with service.db.writer() as session:
            service.check(session, 'p1', 'router')  # no table registered yet
    with pytest.raises(ValueError):
        with service.db.writer() as session:
            service.check(session, 'p1', 'volume')
    # A later service registers its table (here: networks standing in for routers, with an
    # extra condition).
    service.register_count_source('router', NETWORKS.c.tenant_id, NETWORKS.c.name == 'r')
    with service.db.writer() as session:
        insert_networks(session, 'p1', 2)  # named '': not routers
        service.check(session, 'p1', 'router')
    assert service.usage(ADMIN, 'p1')['router']['used'] == 0


# ---- schema --------------------------------------------------------------------------------

def _diff(engine, metadata):
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'compare_type': True})
        return autogenerate.compare_metadata(context, metadata)


def _table_of(diff):
    """The table an alembic autogenerate diff is about."""
    if isinstance(diff, list):  # modify_* diffs come as lists of tuples
        diff = diff[0]
    kind, rest = diff[0], diff[1:]
    if kind in ('add_column', 'remove_column') or kind.startswith('modify_'):
        return rest[1]
    obj = rest[0]
    return obj.name if isinstance(obj, sa.Table) else obj.table.name


def test_quota_tables_match_their_migration(tmp_path):
    url = 'sqlite:///' + str(tmp_path / 'migrated.sqlite')
    migration.upgrade(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        assert QUOTA_TABLES <= set(sa.inspect(engine).get_table_names())
        diffs = _diff(engine, core.Base.metadata)
        # The comparison can fail: a changed copy of the quota tables shows up.
        changed = sa.MetaData()
        for name in sorted(QUOTA_TABLES):
            core.Base.metadata.tables[name].to_metadata(changed)
        changed.tables['quotas'].c.limit.type = sa.String(16)
        changed.tables['quota_locks'].append_column(sa.Column('extra', sa.Integer))
        kinds = {_table_of(d) for d in _diff(engine, changed) if _table_of(d) in QUOTA_TABLES}
        assert kinds == QUOTA_TABLES
    finally:
        engine.dispose()

    assert [d for d in diffs if _table_of(d) in QUOTA_TABLES] == []
    assert QUOTA_TABLES <= set(core.Base.metadata.tables)
    for name in QUOTA_TABLES:
        table = core.Base.metadata.tables[name]
        assert table.dialect_options['mysql']['collate'] == 'utf8mb4_bin'


def test_migration_revision_chain():
    assert ('c0a1f00d0002', 'c0a1f00d0001') in {(r, d) for r, d, _doc in migration.history()}
