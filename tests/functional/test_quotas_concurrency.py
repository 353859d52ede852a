"""Quota checks under concurrency: several processes creating networks for one project, each
create being check() + insert in its own transaction, as the services do.

Each worker is a separate spawned process with its own engine, as API workers or hosts would
be. Whatever the interleaving, a project never ends with more rows than its limit, and every
worker is finally told OverQuota. A control without the check's lock shows that the test can
see an overshoot on MariaDB and PostgreSQL (SQLite serializes writers by itself).

Runs on a SQLite file, MariaDB and PostgreSQL (one migrated database per backend and module;
each test uses its own project names).
"""

import datetime
import os
import time
import traceback
import uuid

import pytest
import sqlalchemy as sa

from netmgr import conf as nm_conf
from netmgr.conf import quotas as quota_conf
from netmgr import context as nm_context
from netmgr.db import api as db_api
from netmgr.db.models import core as models
from tests.fixtures import processes
from netmgr.services import quotas as quotas_mod

pytestmark = pytest.mark.functional

WORKERS = 6
JOIN_TIMEOUT = 120
WORKER_DEADLINE = 60
NETWORKS = models.Network.__table__
ADMIN = nm_context.admin_context('admin')


# ---- the worker side (spawned processes) ---------------------------------------------------

def _service(url):
    conf = nm_conf.new_conf()
    quota_conf.register(conf)
    return quotas_mod.QuotaService(db_api.Database(url), conf)


def _insert(session, project_id):
    stamp = datetime.datetime(2024, 1, 1)
    session.execute(NETWORKS.insert().values(
        id=str(uuid.uuid4()), tenant_id=project_id, name='', description='', status='ACTIVE',
        admin_state_up=True, shared=False, created_at=stamp, updated_at=stamp))


def _create_until_full(url, projects, read_first, start_at, snapshot_check=True):
    """Create one network per project in ``projects`` per transaction until OverQuota.

    ``read_first``: read before checking (a caller breaking check()'s rule), which on
    MariaDB fixes the transaction's snapshot before the lock is held."""
    from netmgr import exceptions
    service = _service(url)
    if not snapshot_check:  # the control: count under the lock, trusting the snapshot
        service._count_locked = lambda session, key, _generation: service._count(session, *key)
    created, unavailable, over = 0, 0, False

    @db_api.retry_on_race(20)
    def create():
        with service.db.writer() as session:
            if read_first:
                session.execute(sa.select(sa.func.count()).select_from(NETWORKS)).scalar()
            service.check_items(session, 'network', [{'tenant_id': p} for p in projects])
            time.sleep(0.005)  # widen the window between counting and inserting
            for project_id in projects:
                _insert(session, project_id)

    try:
        delay = start_at - time.time()
        if delay > 0:
            time.sleep(delay)
        deadline = time.monotonic() + WORKER_DEADLINE
        while time.monotonic() < deadline:
            try:
                create()
            except exceptions.OverQuota:
                over = True
                break
            except exceptions.ServiceUnavailable:
                unavailable += 1  # lost the race 20 times in a row: the caller may try again
                continue
            created += 1
    finally:
        service.db.dispose()
    return {'created': created, 'unavailable': unavailable, 'over': over}


def _create_unlocked(url, project_id, limit, start_at):
    """The control: count, wait, insert if it fit - no lock."""
    db = db_api.Database(url)
    try:
        delay = start_at - time.time()
        if delay > 0:
            time.sleep(delay)
        with db.writer() as session:
            used = session.execute(sa.select(sa.func.count()).select_from(NETWORKS).where(
                NETWORKS.c.tenant_id == project_id)).scalar()
            time.sleep(0.3)
            if used + 1 > limit:
                return {'created': 0}
            _insert(session, project_id)
        return {'created': 1}
    finally:
        db.dispose()


def _run(target, *args, **kwargs):
    try:
        result = target(*args, **kwargs)
    except Exception:
        result = {'crash': traceback.format_exc()}
    result['pid'] = os.getpid()
    return result


def _warm():
    from netmgr.services import quotas  # noqa: F401


# ---- the parent side ---------------------------------------------------------------------

@pytest.fixture(scope='module')
def pool():
    with processes.worker_pool(WORKERS, initializer=_warm) as workers:
        yield workers


@pytest.fixture(scope='module')
def migrated_urls(database_factory):
    """backend -> one migrated database for this module (dropped with the session's)."""
    from tests.fixtures import databases
    urls = {}

    def get(backend):
        if backend not in urls:
            try:
                urls[backend] = database_factory.create(backend, migrate=True)
            except databases.DatabaseServerUnavailable as exc:
                pytest.fail(str(exc), pytrace=False)
        return urls[backend]
    return get


@pytest.fixture
def url(db_backend, migrated_urls):
    return migrated_urls(db_backend)


@pytest.fixture
def quotas(url):
    service = _service(url)
    yield service
    service.db.dispose()


def _project(name):
    return '%s-%s' % (name, uuid.uuid4().hex[:8])


def _run_workers(pool, target, args_per_worker, **kwargs):
    start_at = time.time() + 0.5
    pending = [pool.apply_async(_run, (target,) + tuple(args) + (start_at,), kwargs)
               for args in args_per_worker]
    results = [p.get(timeout=JOIN_TIMEOUT) for p in pending]
    crashes = [r['crash'] for r in results if 'crash' in r]
    assert not crashes, '\n'.join(crashes)
    assert len({r['pid'] for r in results}) == len(results), 'tasks shared a process'
    return results


def _rows(service, project_id):
    with service.db.reader() as session:
        return session.execute(sa.select(sa.func.count()).select_from(NETWORKS).where(
            NETWORKS.c.tenant_id == project_id)).scalar()


@pytest.mark.parametrize('limit', [7])
def test_concurrent_creates_stop_exactly_at_the_limit(pool, url, quotas, limit):
    project = _project('p')
    quotas.update(ADMIN, project, {'network': limit})
    results = _run_workers(pool, _create_until_full, [(url, [project], False)] * WORKERS)
    assert all(r['over'] for r in results), results
    assert sum(r['created'] for r in results) == limit
    assert _rows(quotas, project) == limit


def test_a_bulk_never_overshoots(pool, url, quotas):
    """Each transaction creates two networks of the project: 9 allows four bulks, the fifth
    would make 10."""
    project = _project('bulk')
    quotas.update(ADMIN, project, {'network': 9})
    results = _run_workers(pool, _create_until_full, [(url, [project] * 2, False)] * WORKERS)
    assert all(r['over'] for r in results), results
    assert sum(r['created'] for r in results) == 4
    assert _rows(quotas, project) == 8


def test_bulks_over_two_projects_in_any_order(pool, url, quotas):
    """Each transaction creates a network in each of two projects, naming them in either
    order: the locks are taken in one order, both limits hold."""
    first, second = _project('a'), _project('b')
    quotas.update(ADMIN, first, {'network': 6})
    quotas.update(ADMIN, second, {'network': 6})
    orders = [[first, second], [second, first]] * (WORKERS // 2)
    results = _run_workers(pool, _create_until_full, [(url, o, False) for o in orders])
    assert all(r['over'] for r in results), results
    assert (_rows(quotas, first), _rows(quotas, second)) == (6, 6)


def test_a_caller_reading_before_the_check_still_cannot_overshoot(pool, url, quotas):
    """On MariaDB the early read fixes a snapshot that may predate the previous lock
    holder's commit; the lock row's generation detects it and the call is retried."""
    project = _project('early')
    quotas.update(ADMIN, project, {'network': 7})
    results = _run_workers(pool, _create_until_full, [(url, [project], True)] * WORKERS)
    assert all(r['over'] for r in results), results
    assert sum(r['created'] for r in results) == 7
    assert _rows(quotas, project) == 7


def test_control_without_the_lock_overshoots(pool, url, quotas, db_backend):
    project = _project('control')
    results = _run_workers(pool, _create_unlocked, [(url, project, 2)] * WORKERS)
    created = sum(r['created'] for r in results)
    assert _rows(quotas, project) == created
    if db_backend == 'sqlite':
        assert created == 2  # BEGIN IMMEDIATE: writers queue, the count is always fresh
    else:
        assert created > 2


def test_control_a_lock_alone_is_not_enough_on_mariadb(pool, url, quotas, db_backend):
    """Why check() compares generations: with the lock but without the comparison, a caller
    that read first counts from a snapshot older than the previous holder's commit - on
    MariaDB (REPEATABLE READ) only."""
    project = _project('nocheck')
    quotas.update(ADMIN, project, {'network': 7})
    _run_workers(pool, _create_until_full, [(url, [project], True)] * WORKERS,
                 snapshot_check=False)
    if db_backend == 'mysql':
        assert _rows(quotas, project) > 7
    else:
        assert _rows(quotas, project) == 7  # each statement sees what was committed before
