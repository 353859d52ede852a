"""Engine, transactions and retries.

One ``Database`` per process. ``writer()`` opens the one transaction of an API call; on SQLite it
starts with BEGIN IMMEDIATE so concurrent writers queue on the lock instead of failing on upgrade.
``retry_on_race`` re-runs a whole call that lost a race (deadlock, duplicate key, lost CAS);
``RetriedWriter`` is the two together: one writer transaction, re-run whole on a race.
"""

import contextlib
import functools
import os

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import engines
from oslo_db.sqlalchemy import exc_filters
import sqlalchemy as sa
from sqlalchemy import orm

from netmgr import exceptions

_IMMEDIATE = 'netmgr_sqlite_immediate'


def default_connection(conf):
    return 'sqlite:///' + os.path.join(conf.state_path, 'netmgr.sqlite')


def _setup_sqlite(engine):
    @sa.event.listens_for(engine, 'connect')
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's 'begin' event decide how a transaction starts.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if engine.url.database and engine.url.database != ':memory:':
            cursor.execute('PRAGMA journal_mode=WAL')
            cursor.execute('PRAGMA synchronous=NORMAL')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.execute('PRAGMA busy_timeout=60000')
        cursor.close()

    @sa.event.listens_for(engine, 'begin')
    def _on_begin(conn):
        immediate = conn.get_execution_options().get(_IMMEDIATE)
        conn.exec_driver_sql('BEGIN IMMEDIATE' if immediate else 'BEGIN')


def _create_sqlite_engine(url):
    # Not oslo.db's create_engine: its own 'begin' listener emits a plain BEGIN, which would
    # clash with BEGIN IMMEDIATE. Its error translation (DBDuplicateEntry, ...) is still wanted.
    if url.database and url.database != ':memory:':
        os.makedirs(os.path.dirname(os.path.abspath(url.database)), exist_ok=True)
        # A pool, not a connection per transaction: opening the file and setting the PRAGMAs
        # costs more than a small transaction.
        engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=5,
                                  max_overflow=20, connect_args={'check_same_thread': False})
    else:
        # One shared connection: each new connection would be a new, empty database.
        engine = sa.create_engine(url, poolclass=sa.pool.StaticPool,
                                  connect_args={'check_same_thread': False})
    exc_filters.register_engine(engine)
    _setup_sqlite(engine)
    return engine


class Database:
    def __init__(self, connection):
        self.url = sa.engine.make_url(connection)
        if self.is_sqlite:
            self.engine = _create_sqlite_engine(self.url)
        else:
            self.engine = engines.create_engine(connection)
        writer_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        self._writer = orm.sessionmaker(bind=writer_engine, expire_on_commit=False)
        self._reader = orm.sessionmaker(bind=self.engine, expire_on_commit=False)

    @classmethod
    def from_conf(cls, conf):
        return cls(conf.database.connection or default_connection(conf))

    @property
    def is_sqlite(self):
        return self.url.get_backend_name() == 'sqlite'

    @contextlib.contextmanager
    def writer(self):
        with self._writer() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def reader(self):
        with self._reader() as session, session.begin():
            yield session

    def dispose(self):
        self.engine.dispose()


def _is_race(exc):
    return isinstance(exc, (exceptions.RetryRequest, db_exc.DBDuplicateEntry,
                            db_exc.DBDeadlock, db_exc.DBConnectionError))


def retry_on_race(max_retries=20):
    """Re-run the decorated call (a whole transaction) when it lost a race."""
    def decorator(fn):
        wrapped = oslo_db_api.wrap_db_retry(
            max_retries=max_retries, retry_interval=0.005, inc_retry_interval=True,
            max_retry_interval=0.2, jitter=True, exception_checker=_is_race)(fn)

        @functools.wraps(fn)
        def call(*args, **kwargs):
            try:
                return wrapped(*args, **kwargs)
            except Exception as exc:
                if _is_race(exc):  # still losing after max_retries: a 503, not a 500
                    raise exceptions.ServiceUnavailable() from exc
                raise
        return call
    return decorator


class RetriedWriter:
    """``write(fn)`` runs ``fn(session)`` in one writer transaction of ``db`` and returns what
    it returns; a call that lost a race is rolled back and run again, up to ``retries`` times,
    then answered with ServiceUnavailable (``retry_on_race``)."""

    def __init__(self, db, retries=20):
        self.db = db
        self._run = retry_on_race(retries)(self._once)

    def _once(self, fn):
        with self.db.writer() as session:
            return fn(session)

    def __call__(self, fn):
        return self._run(fn)
