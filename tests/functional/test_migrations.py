"""The migrations against SQLite, MariaDB and PostgreSQL, and netmgr-db-manage end to end."""

import datetime
import os
import pathlib
import subprocess
import sys

from alembic import autogenerate
from alembic import command
from alembic.runtime import migration as alembic_migration
from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from netmgr import exceptions
from netmgr.db import migration
from netmgr.db.models import core as models

pytestmark = pytest.mark.functional

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL_TABLES = set(models.Base.metadata.tables)


@pytest.fixture
def engine_for():
    engines = []

    def make(url):
        engines.append(sa.create_engine(url, poolclass=sa.pool.NullPool))
        return engines[-1]
    yield make
    for engine in engines:
        engine.dispose()


def _diff(engine, metadata):
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'compare_type': True})
        return autogenerate.compare_metadata(context, metadata)


def _ondelete(value):
    # Backends report their default action differently, or not at all.
    return None if value is None or value.upper() in ('NO ACTION', 'RESTRICT') else value.upper()


def _foreign_keys(engine):
    """Foreign keys with their ON DELETE, which alembic's comparison does not look at."""
    inspector = sa.inspect(engine)
    return {(table, tuple(fk['constrained_columns']), fk['referred_table'],
             tuple(fk['referred_columns']), _ondelete(fk.get('options', {}).get('ondelete')))
            for table in MODEL_TABLES for fk in inspector.get_foreign_keys(table)}


def _model_foreign_keys(metadata):
    return {(table.name, tuple(fk.column_keys), fk.referred_table.name,
             tuple(element.column.name for element in fk.elements), _ondelete(fk.ondelete))
            for table in metadata.tables.values() for fk in table.foreign_key_constraints}


def _copy_of_models():
    metadata = sa.MetaData()
    for table in models.Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    return metadata


def test_upgrade_from_empty_to_head(empty_db_url, engine_for):
    assert migration.upgrade(empty_db_url) == migration.head_revision()
    engine = engine_for(empty_db_url)
    assert set(sa.inspect(engine).get_table_names()) == MODEL_TABLES | {'alembic_version'}
    migration.check_schema(engine)
    # A second upgrade is a no-op.
    assert migration.upgrade(empty_db_url) == migration.head_revision()


def test_check_schema_refuses_an_empty_database(empty_db_url, engine_for):
    with pytest.raises(exceptions.SchemaOutOfDate) as info:
        migration.check_schema(engine_for(empty_db_url))
    assert 'not initialised' in str(info.value)
    assert migration.head_revision() in str(info.value)
    assert 'netmgr-db-manage upgrade head' in str(info.value)


def test_downgrade_to_base_removes_every_table(empty_db_url, engine_for):
    migration.upgrade(empty_db_url)
    engine = engine_for(empty_db_url)
    with engine.begin() as connection:
        command.downgrade(migration.make_config(connection=connection), 'base')
    assert set(sa.inspect(engine).get_table_names()) <= {'alembic_version'}
    assert migration.current_revision(engine) is None


def test_models_match_migrations(db_url, engine_for):
    engine = engine_for(db_url)
    assert _diff(engine, models.Base.metadata) == []
    assert _foreign_keys(engine) == _model_foreign_keys(models.Base.metadata)


def test_comparison_sees_model_changes_missing_from_migrations(db_url, engine_for):
    """Guards the test above against comparing nothing."""
    metadata = _copy_of_models()
    metadata.tables['ports'].append_column(sa.Column('binding_host', sa.String(255)))
    metadata.tables['networks'].c.status.type = sa.String(32)
    metadata.tables['subnets'].c.gateway_ip.nullable = False
    sa.Index('ix_subnets_cidr', metadata.tables['subnets'].c.cidr)
    sa.Table('segments', metadata, sa.Column('id', sa.String(36), primary_key=True))

    kinds = {(diff[0] if isinstance(diff, tuple) else diff[0][0])
             for diff in _diff(engine_for(db_url), metadata)}
    assert kinds == {'add_column', 'modify_type', 'modify_nullable', 'add_index', 'add_table'}


def test_foreign_key_comparison_sees_ondelete_changes(db_url, engine_for):
    metadata = _copy_of_models()
    next(iter(metadata.tables['subnets'].foreign_key_constraints)).ondelete = 'CASCADE'
    assert _foreign_keys(engine_for(db_url)) != _model_foreign_keys(metadata)


@pytest.mark.parametrize('round_', [1, 2])
def test_each_test_gets_an_empty_migrated_database(database, round_):
    """Run twice: the rows written by the first run must be gone in the second."""
    with database.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(models.Network)) == 0
    now = datetime.datetime(2024, 1, 1)
    with database.writer() as session:
        session.add(models.Network(id='n1', tenant_id='t1', status='ACTIVE', admin_state_up=True,
                                   created_at=now, updated_at=now))
        session.flush()
        session.add(models.Subnet(id='s1', tenant_id='t1', network_id='n1', ip_version=4,
                                  cidr='10.0.0.0/24', enable_dhcp=True, created_at=now,
                                  updated_at=now))
        session.flush()
        session.add(models.IPAllocation(subnet_id='s1', network_id='n1', ip_address='10.0.0.2'))
    with pytest.raises(db_exc.DBDuplicateEntry):
        with database.writer() as session:
            session.add(models.IPAllocation(subnet_id='s1', network_id='n1',
                                            ip_address='10.0.0.2'))


@pytest.mark.parametrize('url', ['sqlite:///unused.sqlite',
                                 'mysql+pymysql://root@127.0.0.1/unused',
                                 'postgresql+psycopg2://postgres@127.0.0.1/unused'])
def test_offline_upgrade_prints_sql(url):
    sql = migration.upgrade_sql(url)
    for table in MODEL_TABLES:
        assert 'CREATE TABLE %s' % table in sql
    assert migration.head_revision() in sql


def _db_manage(config_file, *args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(REPO_ROOT), os.environ.get('PYTHONPATH')])))
    return subprocess.run(
        [sys.executable, '-m', 'netmgr.cmd.db_manage', '--config-file', str(config_file),
         *args], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)


def test_db_manage_end_to_end(tmp_path):
    state_path = tmp_path / 'state'
    config_file = tmp_path / 'netmgr.conf'
    config_file.write_text('[DEFAULT]\nstate_path = %s\n' % state_path)
    head = migration.head_revision()

    check = _db_manage(config_file, 'check')
    assert check.returncode == 1
    assert 'not initialised' in check.stderr

    upgrade = _db_manage(config_file, 'upgrade', 'head')
    assert upgrade.returncode == 0, upgrade.stderr
    assert 'from not initialised to %s' % head in upgrade.stdout
    assert (state_path / 'netmgr.sqlite').is_file()

    current = _db_manage(config_file, 'current')
    assert current.returncode == 0, current.stderr
    assert current.stdout.strip() == '%s (head)' % head

    check = _db_manage(config_file, 'check')
    assert check.returncode == 0, check.stderr
    assert 'up to date' in check.stdout

    history = _db_manage(config_file, 'history')
    assert history.returncode == 0, history.stderr
    assert head in history.stdout
