"""Shared fixtures of the unit suite: a Client wired to a fresh in-memory SQLite database.

Fixture names avoid those of ``tests.fixtures.databases`` (database, db_url, db_backend...).
"""

import contextlib
import functools

import pytest
import sqlalchemy as sa

from netmgr import conf as conf_mod
from netmgr import context as ctx
from netmgr.db import api as db_api
from netmgr.db.models import core as models
from netmgr import wiring

ADMIN_TENANT = 'admin-tenant'


@pytest.fixture
def make_conf(tmp_path):
    """conf factory: ``make_conf(allow_overlapping_ips=False, ...)``."""
    def make(**overrides):
        return conf_mod.new_conf(state_path=str(tmp_path), **overrides)
    return make


@functools.cache
def _schema_template():
    """One in-memory database with the whole schema; each test's database is a copy of it
    (the SQLite backup API copies it in well under a millisecond; create_all takes ~15 ms)."""
    engine = sa.create_engine('sqlite://', poolclass=sa.pool.StaticPool)
    models.Base.metadata.create_all(engine)
    return engine.raw_connection().driver_connection


def new_schema_db():
    db = db_api.Database('sqlite://')
    with db.engine.connect() as conn:
        _schema_template().backup(conn.connection.driver_connection)
    return db


@pytest.fixture
def make_client(make_conf):
    """Client factory on its own in-memory database: ``make_client(base_mac=...)``."""
    opened = []

    def make(context=None, **overrides):
        db = new_schema_db()
        opened.append(db)
        return wiring.build_client(
            make_conf(**overrides), context or ctx.admin_context(ADMIN_TENANT), db=db)

    yield make
    for db in opened:
        db.dispose()


@pytest.fixture
def client(make_client):
    """An admin Client (tenant ``admin-tenant``)."""
    return make_client()


@pytest.fixture
def netdb(client):
    """The Database behind ``client``."""
    return client.services.db


def as_tenant(client, tenant_id):
    return client.as_context(ctx.tenant_context(tenant_id, user_id='user-' + tenant_id))


@pytest.fixture
def tenant_a(client):
    return as_tenant(client, 'tenant-a')


@pytest.fixture
def tenant_b(client):
    return as_tenant(client, 'tenant-b')


@pytest.fixture
def make_subnet(client):
    """``make_subnet(cidr, client=None, **attrs)``: a new network and one subnet on it."""
    def make(cidr='10.0.0.0/24', owner=None, **attrs):
        owner = owner or client
        network = owner.create_network(name='net-' + cidr)
        version = 6 if ':' in cidr else 4
        return owner.create_subnet(network_id=network['id'], ip_version=version, cidr=cidr,
                                   **attrs)
    return make


@pytest.fixture
def count_rows(netdb):
    """``count_rows('ports')``, ``count_rows('ipallocations', subnet_id=X)``; rows of the
    ``client`` fixture's database unless ``on=<another Client>``."""
    def count(table_name, on=None, **where):
        table = models.Base.metadata.tables[table_name]
        stmt = sa.select(sa.func.count()).select_from(table).where(
            *[table.c[k] == v for k, v in where.items()])
        with (on.services.db if on else netdb).reader() as session:
            return session.execute(stmt).scalar_one()
    return count


@pytest.fixture
def statements(netdb):
    """Context manager counting SQL statements sent to the database::

        with statements() as counter:
            ...
        counter.count
    """
    class Counter:
        count = 0

    @contextlib.contextmanager
    def counting():
        counter = Counter()

        def on_execute(*_args):
            counter.count += 1

        sa.event.listen(netdb.engine, 'before_cursor_execute', on_execute)
        try:
            yield counter
        finally:
            sa.event.remove(netdb.engine, 'before_cursor_execute', on_execute)
    return counting


def ips_of(port):
    return [f['ip_address'] for f in port['fixed_ips']]
