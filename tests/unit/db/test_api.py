"""netmgr.db.api on SQLite: transactions, the SQLite write lock, retries."""

import datetime
import sqlite3
import uuid

from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from netmgr import exceptions
from netmgr.db import api as db_api
from netmgr.db.models import core


def _network(network_id=None):
    now = datetime.datetime(2024, 1, 1)
    return core.Network(id=network_id or str(uuid.uuid4()), tenant_id='t1', status='ACTIVE',
                        admin_state_up=True, created_at=now, updated_at=now)


def _network_ids(db):
    with db.reader() as session:
        return set(session.scalars(sa.select(core.Network.id)))


@pytest.fixture
def sqlite_url(tmp_path):
    return 'sqlite:///' + str(tmp_path / 'state' / 'netmgr.sqlite')


@pytest.fixture
def db(sqlite_url):
    database = db_api.Database(sqlite_url)
    core.Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


def test_default_connection_is_sqlite_under_state_path():
    class Conf:
        state_path = '/srv/netmgr'
    assert db_api.default_connection(Conf) == 'sqlite:////srv/netmgr/netmgr.sqlite'


def test_writer_commits(db, sqlite_url):
    with db.writer() as session:
        session.add(_network('n1'))
    other = db_api.Database(sqlite_url)
    try:
        assert _network_ids(other) == {'n1'}
    finally:
        other.dispose()


def test_exception_in_writer_rolls_back(db):
    with pytest.raises(ValueError):
        with db.writer() as session:
            session.add(_network('n1'))
            session.flush()
            raise ValueError('boom')
    assert _network_ids(db) == set()


def test_in_memory_database_keeps_its_data_across_sessions():
    db = db_api.Database('sqlite://')
    try:
        core.Base.metadata.create_all(db.engine)
        with db.writer() as session:
            session.add(_network('n1'))
        assert _network_ids(db) == {'n1'}
    finally:
        db.dispose()


def test_foreign_keys_are_enforced(db):
    with pytest.raises(db_exc.DBReferenceError):
        with db.writer() as session:
            session.add(core.AllocationPool(id='p1', subnet_id='missing', first_ip='10.0.0.2',
                                            last_ip='10.0.0.9'))


def test_writer_takes_the_write_lock_before_its_first_read(db, sqlite_url):
    """BEGIN IMMEDIATE: a read-then-write call never fails on lock upgrade."""
    other = sqlite3.connect(sa.engine.make_url(sqlite_url).database, timeout=0.05)
    try:
        with db.writer() as session:
            session.execute(sa.select(core.Network.id)).all()
            with pytest.raises(sqlite3.OperationalError, match='locked'):
                other.execute("INSERT INTO networks VALUES ('x', 't', '', '', 'ACTIVE', 1, 0, "
                              "'2024-01-01', '2024-01-01')")
    finally:
        other.close()


def test_reader_does_not_block_another_writer(db):
    with db.reader() as session:
        session.execute(sa.select(core.Network.id)).all()
        with db.writer() as writer:
            writer.add(_network('n1'))
    assert _network_ids(db) == {'n1'}


def test_retry_on_race_retries_then_succeeds():
    calls = []

    @db_api.retry_on_race(max_retries=5)
    def create():
        calls.append(1)
        if len(calls) <= 2:
            raise exceptions.RetryRequest(reason='lost a race')
        return 'done'

    assert create() == 'done'
    assert len(calls) == 3


def test_retry_on_race_gives_up_with_service_unavailable():
    calls = []

    @db_api.retry_on_race(max_retries=3)
    def create():
        calls.append(1)
        raise exceptions.RetryRequest(reason='lost a race')

    with pytest.raises(exceptions.ServiceUnavailable) as info:
        create()
    assert len(calls) == 4
    assert isinstance(info.value.__cause__, exceptions.RetryRequest)


def test_retry_on_race_turns_exhausted_deadlocks_into_service_unavailable():
    @db_api.retry_on_race(max_retries=1)
    def create():
        raise db_exc.DBDeadlock()

    with pytest.raises(exceptions.ServiceUnavailable):
        create()


def test_retry_on_race_does_not_retry_other_errors():
    calls = []

    @db_api.retry_on_race(max_retries=5)
    def create():
        calls.append(1)
        raise exceptions.NetworkNotFound(net_id='n1')

    with pytest.raises(exceptions.NetworkNotFound):
        create()
    assert len(calls) == 1


def test_retry_on_race_reruns_a_transaction_that_hit_a_duplicate_key(db):
    """A real DB error from inside writer(): rolled back, then the whole call runs again."""
    with db.writer() as session:
        session.add(_network('taken'))
    candidates = iter(['taken', 'free'])

    @db_api.retry_on_race(max_retries=3)
    def create():
        with db.writer() as session:
            network_id = next(candidates)
            session.add(_network(network_id))
        return network_id

    assert create() == 'free'
    assert _network_ids(db) == {'taken', 'free'}


def test_retried_writer_runs_the_function_in_one_committed_transaction(db):
    write = db_api.RetriedWriter(db, retries=3)

    def create(session):
        session.add(_network('n1'))
        session.add(_network('n2'))
        return 'created'

    assert write(create) == 'created'
    assert _network_ids(db) == {'n1', 'n2'}


def test_retried_writer_rolls_back_and_reruns_a_call_that_lost_a_race(db):
    write = db_api.RetriedWriter(db, retries=3)
    calls = []

    def create(session):
        calls.append(1)
        session.add(_network('n%d' % len(calls)))
        session.flush()
        if len(calls) == 1:
            raise exceptions.RetryRequest(reason='lost a race')
        return len(calls)

    assert write(create) == 2
    assert _network_ids(db) == {'n2'}


def test_retried_writer_gives_up_with_service_unavailable(db):
    write = db_api.RetriedWriter(db, retries=2)
    calls = []

    def create(session):
        calls.append(1)
        session.add(_network())
        session.flush()
        raise db_exc.DBDeadlock()

    with pytest.raises(exceptions.ServiceUnavailable) as info:
        write(create)
    assert len(calls) == 3
    assert isinstance(info.value.__cause__, db_exc.DBDeadlock)
    assert _network_ids(db) == set()


def test_retried_writer_does_not_retry_other_errors(db):
    write = db_api.RetriedWriter(db, retries=5)
    calls = []

    def create(session):
        calls.append(1)
        session.add(_network('n1'))
        session.flush()
        raise exceptions.NetworkNotFound(net_id='n1')

    with pytest.raises(exceptions.NetworkNotFound):
        write(create)
    assert len(calls) == 1
    assert _network_ids(db) == set()
