"""Segment allocation under concurrency: several processes (each its own Client and engine,
as several API workers would be) create tenant networks on a small VNI range. No two
networks may share a segment, the range is used up exactly, and then everybody gets 503
NoNetworkAvailable. Runs on a fresh SQLite file, MariaDB and PostgreSQL database."""

import os
import time
import traceback

import pytest
import sqlalchemy as sa

from netmgr import conf as nm_conf
from netmgr import context as nm_context
from netmgr.db import api as db_api
from netmgr.db.models import segments as segment_models
from netmgr import wiring
from tests.fixtures import processes

pytestmark = pytest.mark.functional

WORKERS = 6
VNI_FIRST, VNI_LAST = 100, 129
OVERRIDES = {'QUOTAS.quota_network': -1, 'l2.vni_ranges': ['%d:%d' % (VNI_FIRST, VNI_LAST)]}
WORKER_DEADLINE = 120
JOIN_TIMEOUT = 180
SEGMENTS = segment_models.NetworkSegment.__table__


def _fill(url, start_at):
    """Create networks until none is available; return their VNIs and how it ended."""
    from netmgr.api.wsgi import faults
    db = db_api.Database(url)
    client = wiring.build_client(nm_conf.new_conf(**OVERRIDES),
                                 nm_context.admin_context('t'), db=db)
    vnis, errors, end = [], [], None
    try:
        time.sleep(max(0, start_at - time.time()))
        deadline = time.monotonic() + WORKER_DEADLINE
        while time.monotonic() < deadline:
            try:
                network = client.create_network(name='c')
            except Exception as exc:
                info = {'type': type(exc).__name__, 'status': faults.status_for(exc)
                        if hasattr(exc, 'kwargs') else 500, 'message': str(exc)[:300]}
                if info['type'] == 'NoNetworkAvailable':
                    end = info
                    break
                errors.append(info)
                if len(errors) > 20:
                    break
                continue
            vnis.append((network['id'], network['provider:segmentation_id']))
    finally:
        db.dispose()
    return {'vnis': vnis, 'errors': errors, 'end': end}


def _run(url, start_at):
    try:
        result = _fill(url, start_at)
    except Exception:
        result = {'crash': traceback.format_exc()}
    result['pid'] = os.getpid()
    return result


@pytest.fixture(scope='module')
def pool():
    with processes.worker_pool(WORKERS) as workers:
        yield workers


def test_concurrent_creates_never_share_a_vni_and_end_in_503(pool, fresh_url):
    start_at = time.time() + 1.0
    pending = [pool.apply_async(_run, (fresh_url, start_at)) for _ in range(WORKERS)]
    results = [p.get(timeout=JOIN_TIMEOUT) for p in pending]
    assert not [r['crash'] for r in results if 'crash' in r]
    assert len({r['pid'] for r in results}) == WORKERS, 'tasks shared a process'
    assert [r['errors'] for r in results if r['errors']] == []
    for r in results:
        assert r['end'] == {'type': 'NoNetworkAvailable', 'status': 503, 'message': (
            'Unable to create the network. No tenant network is available for allocation.')}
    handed_out = sorted(vni for r in results for _net, vni in r['vnis'])
    assert handed_out == list(range(VNI_FIRST, VNI_LAST + 1))
    db = db_api.Database(fresh_url)
    try:
        with db.reader() as session:
            stored = sorted(session.execute(sa.select(SEGMENTS.c.segmentation_id)).scalars())
    finally:
        db.dispose()
    assert stored == handed_out
