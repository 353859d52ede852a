"""The IPAM under concurrency: several processes allocating on one subnet.

Each worker is a separate process (a multiprocessing 'spawn' pool) with its own
``netmgr.client.Client`` and its own ``Database`` engine, as several API workers or several
hosts would be. The database constraints plus the retry of whole API calls must make sure that:
no address is handed out twice, exhausting a pool uses every address exactly once and ends in
IpAddressGenerationFailure (409) for everybody, releasing concurrently gives the pool back whole,
and a specific address asked for by several callers goes to exactly one of them.

Runs on a fresh database per test: a SQLite file, MariaDB and PostgreSQL.
"""

import os
import random
import time
import traceback

import netaddr
import pytest
import sqlalchemy as sa

from netmgr import conf as nm_conf
from netmgr import context as nm_context
from netmgr.db import api as db_api
from netmgr.db.models import core as models
from netmgr import wiring
from tests.fixtures import processes

pytestmark = pytest.mark.functional

WORKERS = 6
CIDR = '10.20.30.0/26'          # 64 addresses: minus network, broadcast, gateway = 61
POOL_SIZE = 61
WORKER_DEADLINE = 120           # seconds a worker may run before giving up
JOIN_TIMEOUT = 180

RANGES = models.AvailabilityRange.__table__
ALLOCS = models.IPAllocation.__table__
PORTS = models.Port.__table__


# ---- the worker side (runs in spawned processes) -------------------------------------------

def _client(url):
    conf = nm_conf.new_conf(**{'QUOTAS.quota_port': -1})
    db = db_api.Database(url)
    return wiring.build_client(conf, nm_context.admin_context('t'), db=db), db


def _describe(exc):
    """(type name, HTTP status the REST API would answer, message)."""
    from netmgr.api.wsgi import faults
    from netmgr import exceptions
    status = faults.status_for(exc) if isinstance(exc, exceptions.NetmgrException) else 500
    return {'type': type(exc).__name__, 'status': status, 'message': str(exc)[:300]}


def _warm():
    """Pool initializer: the imports are paid once per worker process, not per task."""
    from netmgr.api.wsgi import faults  # noqa: F401


def _wait_until(start_at):
    """All workers start together: the tasks are handed out before this wall-clock time."""
    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)


def _run(target, *args):
    try:
        result = target(*args)
    except Exception:  # a crash of the worker itself
        result = {'crash': traceback.format_exc()}
    result['pid'] = os.getpid()
    return result


def _fill(url, network_id, start_at):
    """Create ports until the network is full; return what was handed out and how it ended."""
    client, db = _client(url)
    ports, errors, end = [], [], None
    try:
        _wait_until(start_at)
        deadline = time.monotonic() + WORKER_DEADLINE
        while time.monotonic() < deadline:
            try:
                port = client.create_port(network_id=network_id)
            except Exception as exc:
                info = _describe(exc)
                if info['type'] == 'IpAddressGenerationFailure':
                    end = info
                    break
                errors.append(info)
                if len(errors) > 50:
                    break
                continue
            ports.append({'id': port['id'], 'fixed_ips': port['fixed_ips'],
                          'mac_address': port['mac_address']})
    finally:
        db.dispose()
    return {'ports': ports, 'errors': errors, 'end': end}


def _delete(url, port_ids, start_at):
    client, db = _client(url)
    errors = []
    try:
        _wait_until(start_at)
        for port_id in port_ids:
            try:
                client.delete_port(port_id)
            except Exception as exc:
                errors.append(dict(_describe(exc), port_id=port_id))
    finally:
        db.dispose()
    return {'errors': errors}


def _take_specific(url, network_id, subnet_id, addresses, seed, start_at):
    client, db = _client(url)
    addresses = list(addresses)
    random.Random(seed).shuffle(addresses)
    won, lost = [], []
    try:
        _wait_until(start_at)
        for address in addresses:
            try:
                port = client.create_port(network_id=network_id, fixed_ips=[
                    {'subnet_id': subnet_id, 'ip_address': address}])
            except Exception as exc:
                lost.append(dict(_describe(exc), ip_address=address))
                continue
            won.append({'ip_address': address, 'id': port['id'],
                        'fixed_ips': port['fixed_ips']})
    finally:
        db.dispose()
    return {'won': won, 'lost': lost}


def _churn_worker(url, network_id, seed, seconds, start_at):
    """Create and delete ports at random on a nearly full network for a while."""
    client, db = _client(url)
    rng = random.Random(seed)
    mine, errors, full, ops = [], [], 0, 0
    try:
        _wait_until(start_at)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(errors) < 20:
            ops += 1
            try:
                if mine and rng.random() < 0.5:
                    client.delete_port(mine.pop(rng.randrange(len(mine))))
                else:
                    mine.append(client.create_port(network_id=network_id)['id'])
            except Exception as exc:
                info = _describe(exc)
                if info['type'] == 'IpAddressGenerationFailure':
                    full += 1
                else:
                    errors.append(info)
    finally:
        db.dispose()
    return {'mine': mine, 'errors': errors, 'full': full, 'ops': ops}


def _run_workers(pool, target, args_per_worker):
    """Run one task per args tuple, each in its own process of the pool, all at once."""
    assert len(args_per_worker) <= WORKERS
    start_at = time.time() + 1.0
    pending = [pool.apply_async(_run, (target,) + tuple(args) + (start_at,))
               for args in args_per_worker]
    results = [p.get(timeout=JOIN_TIMEOUT) for p in pending]
    crashes = [r['crash'] for r in results if 'crash' in r]
    assert not crashes, '\n'.join(crashes)
    pids = [r['pid'] for r in results]
    assert len(set(pids)) == len(pids), 'tasks shared a process: not concurrent'
    return results


# ---- the parent side ---------------------------------------------------------------------

@pytest.fixture(scope='module')
def pool():
    """WORKERS spawned processes, reused by every test of the module; ended at the end."""
    with processes.worker_pool(WORKERS, initializer=_warm) as workers:
        yield workers


@pytest.fixture
def parent(fresh_url):
    db = db_api.Database(fresh_url)
    client = wiring.build_client(nm_conf.new_conf(**{'QUOTAS.quota_port': -1}),
                                 nm_context.admin_context('t'),
                                 db=db)
    yield client, db
    db.dispose()


def _network_and_subnet(client):
    net = client.create_network(name='conc')
    subnet = client.create_subnet(network_id=net['id'], ip_version=4, cidr=CIDR)
    assert client.count_free_ips(subnet['id']) == POOL_SIZE
    return net, subnet


def _pool_addresses(subnet):
    addresses = []
    for pool in subnet['allocation_pools']:
        addresses.extend(str(a) for a in netaddr.IPRange(pool['start'], pool['end']))
    assert len(addresses) == POOL_SIZE
    return addresses


def _ranges(db, subnet_id):
    with db.reader() as session:
        return [(int(f, 16), int(l, 16)) for f, l in session.execute(
            sa.select(RANGES.c.first_key, RANGES.c.last_key)
            .where(RANGES.c.subnet_id == subnet_id).order_by(RANGES.c.first_key))]


def _allocations(db, subnet_id):
    with db.reader() as session:
        return session.execute(sa.select(ALLOCS.c.ip_address, ALLOCS.c.port_id)
                               .where(ALLOCS.c.subnet_id == subnet_id)).all()


def _port_count(db, network_id):
    with db.reader() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(PORTS)
                              .where(PORTS.c.network_id == network_id))


def _fill_concurrently(pool, url, client, db, net, subnet):
    """Fill the subnet from WORKERS processes and check the outcome; returns the ports."""
    results = _run_workers(pool, _fill, [(url, net['id'])] * WORKERS)
    errors = [e for r in results for e in r['errors']]
    assert errors == [], 'unexpected errors while allocating: %s' % errors[:5]
    ends = [r['end'] for r in results]
    assert all(e is not None and e['type'] == 'IpAddressGenerationFailure' and
               e['status'] == 409 for e in ends), ends
    ports = [p for r in results for p in r['ports']]
    handed_out = [ip['ip_address'] for p in ports for ip in p['fixed_ips']]
    assert all(len(p['fixed_ips']) == 1 and p['fixed_ips'][0]['subnet_id'] == subnet['id']
               for p in ports)
    duplicates = sorted({a for a in handed_out if handed_out.count(a) > 1})
    assert duplicates == [], 'addresses handed out twice: %s' % duplicates
    assert sorted(handed_out, key=netaddr.IPAddress) == _pool_addresses(subnet)
    # The database agrees with what the callers were told.
    rows = _allocations(db, subnet['id'])
    assert len(rows) == POOL_SIZE
    assert {(ip, port_id) for ip, port_id in rows} == {
        (p['fixed_ips'][0]['ip_address'], p['id']) for p in ports}
    assert _port_count(db, net['id']) == POOL_SIZE
    assert _ranges(db, subnet['id']) == []
    assert client.count_free_ips(subnet['id']) == 0
    macs = [p['mac_address'] for p in ports]
    assert len(set(macs)) == len(macs)
    return ports


def _delete_concurrently(pool, url, ports, workers):
    # Interleave: neighbouring addresses are released by different processes at once.
    ordered = sorted(ports, key=lambda p: netaddr.IPAddress(p['fixed_ips'][0]['ip_address']))
    shares = [[p['id'] for p in ordered[i::workers]] for i in range(workers)]
    results = _run_workers(pool, _delete, [(url, share) for share in shares])
    errors = [e for r in results for e in r['errors']]
    assert errors == [], 'unexpected errors while deleting: %s' % errors[:5]


def _assert_pool_whole(client, db, subnet):
    pool = netaddr.IPRange(subnet['allocation_pools'][0]['start'],
                           subnet['allocation_pools'][0]['end'])
    assert _allocations(db, subnet['id']) == []
    ranges = _ranges(db, subnet['id'])
    assert client.count_free_ips(subnet['id']) == POOL_SIZE, ranges
    assert ranges == [(pool.first, pool.last)], 'free pool left as %s' % [
        '%s-%s' % (netaddr.IPAddress(f), netaddr.IPAddress(l)) for f, l in ranges]


def test_concurrent_allocation_exhausts_the_pool_exactly(pool, fresh_url, parent):
    client, db = parent
    net, subnet = _network_and_subnet(client)
    _fill_concurrently(pool, fresh_url, client, db, net, subnet)


def test_concurrent_release_gives_the_pool_back_whole(pool, fresh_url, parent):
    client, db = parent
    net, subnet = _network_and_subnet(client)
    # A few rounds: each is fill-all then release-all from several processes at once.
    for _round in range(3):
        ports = _fill_concurrently(pool, fresh_url, client, db, net, subnet)
        _delete_concurrently(pool, fresh_url, ports, workers=4)
        assert _port_count(db, net['id']) == 0
        _assert_pool_whole(client, db, subnet)


def test_concurrent_specific_addresses_go_to_exactly_one(pool, fresh_url, parent):
    """Inside the pool (the free ranges are split) and outside it (only the allocation's
    primary key guards the address): one winner, IpAddressInUse (409) for everybody else."""
    client, db = parent
    net = client.create_network(name='conc')
    subnet = client.create_subnet(network_id=net['id'], ip_version=4, cidr=CIDR,
                                  allocation_pools=[{'start': '10.20.30.2',
                                                     'end': '10.20.30.50'}])
    in_pool = [str(a) for a in netaddr.IPRange('10.20.30.2', '10.20.30.50')]
    wanted = in_pool[5:20] + ['10.20.30.%d' % i for i in range(52, 57)]
    results = _run_workers(pool, _take_specific, [
        (fresh_url, net['id'], subnet['id'], wanted, seed) for seed in range(WORKERS)])
    won = [w for r in results for w in r['won']]
    lost = [x for r in results for x in r['lost']]
    others = [x for x in lost if (x['type'], x['status']) != ('IpAddressInUse', 409)]
    assert others == [], 'losers must get IpAddressInUse (409) only: %s' % others[:5]
    assert sorted(w['ip_address'] for w in won) == sorted(wanted), 'one winner per address'
    assert len(lost) == len(wanted) * (WORKERS - 1)
    assert all(w['fixed_ips'] == [{'subnet_id': subnet['id'], 'ip_address': w['ip_address']}]
               for w in won)
    rows = _allocations(db, subnet['id'])
    assert sorted(rows) == sorted((w['ip_address'], w['id']) for w in won)
    assert _port_count(db, net['id']) == len(wanted)
    assert client.count_free_ips(subnet['id']) == len(in_pool) - 15
    # The ranges were split consistently: the rest of the pool fills up without a conflict.
    rest = []
    while True:
        try:
            rest.append(client.create_port(network_id=net['id'])['fixed_ips'][0]['ip_address'])
        except Exception as exc:
            assert type(exc).__name__ == 'IpAddressGenerationFailure', repr(exc)
            break
    assert sorted(rest + in_pool[5:20], key=netaddr.IPAddress) == in_pool


def test_concurrent_create_and_delete_keep_the_ranges_sound(pool, fresh_url, parent):
    client, db = parent
    net, subnet = _network_and_subnet(client)
    prefilled = [client.create_port(network_id=net['id'])['id'] for _ in range(40)]
    results = _run_workers(pool, _churn_worker, [
        (fresh_url, net['id'], seed, 6) for seed in range(WORKERS)])
    errors = [e for r in results for e in r['errors']]
    assert errors == [], 'only IpAddressGenerationFailure may happen: %s' % errors[:3]
    rows = _allocations(db, subnet['id'])
    assert len(rows) == _port_count(db, net['id'])
    assert client.count_free_ips(subnet['id']) == POOL_SIZE - len(rows)
    for port_id in prefilled + [p for r in results for p in r['mine']]:
        client.delete_port(port_id)
    _assert_pool_whole(client, db, subnet)
