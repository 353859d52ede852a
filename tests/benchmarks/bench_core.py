"""Core API benchmark against a real netmgr-server process, over HTTP with keep-alive.

    python -m tests.benchmarks.bench_core [--db sqlite|mysql|postgresql] [--workers N] [--quick]
    python -m tests.benchmarks.bench_core --profile [--db ...] [--quick]

Not a test: it measures and prints. It migrates a fresh database (``netmgr.cmd.db_manage
upgrade head``; for mysql/postgresql a new database that is dropped at the end), starts
``netmgr.cmd.server`` with ``api_workers`` N on a free 127.0.0.1 port and a temporary state
directory, and measures:

  a. sequential port creates per second (one keep-alive connection);
  b. port creates per second from 8 threads, each with its own connection (0 duplicate IPs?);
  c. GET /v2.0/ports latency (median) with 1,500 and with 10,000 ports in the database;
  d. the time per 1,000 allocations at the start and at the end of filling a /16
     (bulk POST {"ports": [...]} of 200 ports per request);
  e. network + subnet create/delete cycles per second;
  f. L3 cycles per second: router with a gateway, an interface on a subnet, a port and a
     floating IP associated with it, then all of it removed again.

The server is stopped by its PID (and its workers by theirs) at the end. ``--quick`` shrinks
every count so a run takes well under a minute. ``--profile`` runs no server: it profiles
in-process port creates and a list of many ports with cProfile and prints what dominates.
"""

import argparse
import concurrent.futures
import contextlib
import cProfile
import http.client
import io
import json
import pathlib
import pstats
import shutil
import statistics
import sys
import tempfile
import threading
import time

from tests.fixtures import databases
from tests.fixtures import server as fixture_server
from netmgr import wiring

# Neutron 29.0, same kind of machine, MariaDB, 2 API workers (CLIENT_COMPAT.md).
REFERENCE = {
    'seq_create': 8.0,        # ports/s
    'conc_create': 8.0,       # ports/s with 8 clients
    'list_1500': 0.9,         # s for a list of 1,510 ports
    'net_cycle': 5.0,         # network + subnet create/delete cycles/s
}
GOAL = 20  # times better than the reference

FULL = {'seq': 500, 'conc': 800, 'threads': 8, 'list_small': 1500, 'list_big': 10000,
        'list_repeat': 5, 'fill_cidr': '10.128.0.0/16', 'bulk': 200, 'cycles': 100,
        'l3_cycles': 100,
        'profile_creates': 1000, 'profile_list': 10000}
QUICK = {'seq': 100, 'conc': 160, 'threads': 8, 'list_small': 1500, 'list_big': 3000,
         'list_repeat': 3, 'fill_cidr': '10.128.0.0/20', 'bulk': 200, 'cycles': 20,
         'l3_cycles': 20,
         'profile_creates': 300, 'profile_list': 3000}


# ---- HTTP ---------------------------------------------------------------------------------

class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__('%s %s' % (status, body[:300]))
        self.status = status


class Api:
    """One keep-alive connection; JSON in and out."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection('127.0.0.1', port, timeout=300)

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        payload = json.dumps(body).encode() if body is not None else None
        headers = {'Accept': 'application/json', 'X-Auth-Token': 'bench'}
        if payload is not None:
            headers['Content-Type'] = 'application/json'
        self.conn.request(method, path, body=payload, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status not in expect:
            raise ApiError(response.status, data.decode(errors='replace'))
        return json.loads(data) if data else None, len(data)

    def close(self):
        self.conn.close()


def _network(api, cidr, name='bench'):
    net = api.call('POST', '/v2.0/networks', {'network': {'name': name}})[0]['network']
    subnet = api.call('POST', '/v2.0/subnets', {'subnet': {
        'network_id': net['id'], 'ip_version': 4, 'cidr': cidr}})[0]['subnet']
    return net, subnet


def _bulk(api, network_id, count):
    body = {'ports': [{'network_id': network_id} for _ in range(count)]}
    return api.call('POST', '/v2.0/ports', body)[0]['ports']


# ---- measurements -------------------------------------------------------------------------

def bench_sequential(api, sizes):
    net, _subnet = _network(api, '10.1.0.0/20', 'seq')
    for _ in range(5):  # warm-up
        api.call('POST', '/v2.0/ports', {'port': {'network_id': net['id']}})
    n = sizes['seq']
    start = time.perf_counter()
    for _ in range(n):
        api.call('POST', '/v2.0/ports', {'port': {'network_id': net['id']}})
    elapsed = time.perf_counter() - start
    return {'seq_create': n / elapsed, 'seq_ms': elapsed / n * 1000}


def bench_concurrent(port, sizes):
    setup = Api(port)
    net, _subnet = _network(setup, '10.2.0.0/20', 'conc')
    threads, per_thread = sizes['threads'], sizes['conc'] // sizes['threads']
    apis = [Api(port) for _ in range(threads)]
    for api in apis:  # open and warm every connection
        api.call('GET', '/v2.0/networks?id=%s' % net['id'])
    barrier = threading.Barrier(threads)
    errors, results = [], []
    lock = threading.Lock()

    def run(api):
        mine, errs = [], []
        barrier.wait()
        for _ in range(per_thread):
            try:
                port_ = api.call('POST', '/v2.0/ports',
                                 {'port': {'network_id': net['id']}})[0]['port']
                mine.append(port_['fixed_ips'][0]['ip_address'])
            except ApiError as exc:
                errs.append(exc.status)
        with lock:
            results.extend(mine)
            errors.extend(errs)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, apis))
    elapsed = time.perf_counter() - start
    listed = setup.call('GET', '/v2.0/ports?network_id=%s&fields=fixed_ips' % net['id'])[0]
    in_db = [ip['ip_address'] for p in listed['ports'] for ip in p['fixed_ips']]
    for api in apis + [setup]:
        api.close()
    return {'conc_create': len(results) / elapsed,
            'conc_dup': (len(results) - len(set(results))) + (len(in_db) - len(set(in_db))),
            'conc_errors': len(errors), 'conc_error_codes': sorted(set(errors))}


def _fill_ports(api, network_id, target, bulk):
    """Bulk-create ports until the database holds ``target`` ports in all."""
    have = len(api.call('GET', '/v2.0/ports?fields=id')[0]['ports'])
    while have < target:
        made = _bulk(api, network_id, min(bulk, target - have))
        have += len(made)
    return have


def _list_latency(api, repeat):
    api.call('GET', '/v2.0/ports')  # warm
    times, size, count = [], 0, 0
    for _ in range(repeat):
        start = time.perf_counter()
        body, size = api.call('GET', '/v2.0/ports')
        times.append(time.perf_counter() - start)
        count = len(body['ports'])
    return statistics.median(times), count, size


def bench_lists(api, sizes):
    net, _subnet = _network(api, '10.64.0.0/16', 'list')
    result = {}
    for key, target in (('list_small', sizes['list_small']), ('list_big', sizes['list_big'])):
        _fill_ports(api, net['id'], target, sizes['bulk'])
        seconds, count, size = _list_latency(api, sizes['list_repeat'])
        result[key] = seconds
        result[key + '_count'] = count
        result[key + '_bytes'] = size
    return result


def bench_fill(api, sizes):
    net, _subnet = _network(api, sizes['fill_cidr'], 'fill')
    total = 0
    timings = []  # (ports in this request, seconds)
    start_all = time.perf_counter()
    while True:
        try:
            start = time.perf_counter()
            made = _bulk(api, net['id'], sizes['bulk'])
            timings.append((len(made), time.perf_counter() - start))
            total += len(made)
        except ApiError as exc:
            if exc.status != 409:
                raise
            break  # fewer left than a full request: take the rest one by one
    while True:
        try:
            start = time.perf_counter()
            api.call('POST', '/v2.0/ports', {'port': {'network_id': net['id']}})
            timings.append((1, time.perf_counter() - start))
            total += 1
        except ApiError as exc:
            if exc.status != 409:
                raise
            break
    elapsed_all = time.perf_counter() - start_all

    def per_thousand(entries):
        ports = seconds = 0
        for count, secs in entries:
            if ports >= 1000:
                break
            ports += count
            seconds += secs
        return seconds / ports * 1000
    return {'fill_total': total, 'fill_first': per_thousand(timings),
            'fill_last': per_thousand([t for t in reversed(timings) if t[0] > 1] or timings),
            'fill_seconds': elapsed_all}


def bench_cycles(api, sizes):
    def cycle(i):
        net = api.call('POST', '/v2.0/networks',
                       {'network': {'name': 'cyc%d' % i}})[0]['network']
        sub = api.call('POST', '/v2.0/subnets', {'subnet': {
            'network_id': net['id'], 'ip_version': 4, 'cidr': '192.168.%d.0/24' % (i % 250)}})
        api.call('DELETE', '/v2.0/subnets/%s' % sub[0]['subnet']['id'])
        api.call('DELETE', '/v2.0/networks/%s' % net['id'])
    for i in range(3):
        cycle(i)
    n = sizes['cycles']
    start = time.perf_counter()
    for i in range(n):
        cycle(i)
    elapsed = time.perf_counter() - start
    return {'net_cycle': n / elapsed}


def bench_l3_cycles(api, sizes):
    ext = api.call('POST', '/v2.0/networks', {'network': {
        'name': 'bench-ext', 'router:external': True}})[0]['network']
    api.call('POST', '/v2.0/subnets', {'subnet': {
        'network_id': ext['id'], 'ip_version': 4, 'cidr': '172.31.0.0/16',
        'enable_dhcp': False}})
    net, subnet = _network(api, '10.250.0.0/24', name='bench-l3')

    def cycle(i):
        router = api.call('POST', '/v2.0/routers', {'router': {
            'name': 'r%d' % i, 'external_gateway_info': {'network_id': ext['id']}}}
        )[0]['router']
        path = '/v2.0/routers/%s' % router['id']
        api.call('PUT', path + '/add_router_interface', {'subnet_id': subnet['id']})
        port = api.call('POST', '/v2.0/ports', {'port': {'network_id': net['id']}})[0]['port']
        fip = api.call('POST', '/v2.0/floatingips', {'floatingip': {
            'floating_network_id': ext['id'], 'port_id': port['id']}})[0]['floatingip']
        api.call('DELETE', '/v2.0/floatingips/%s' % fip['id'])
        api.call('DELETE', '/v2.0/ports/%s' % port['id'])
        api.call('PUT', path + '/remove_router_interface', {'subnet_id': subnet['id']})
        api.call('DELETE', path)
    for i in range(3):
        cycle(i)
    n = sizes['l3_cycles']
    start = time.perf_counter()
    for i in range(n):
        cycle(i)
    elapsed = time.perf_counter() - start
    return {'l3_cycle': n / elapsed}


# ---- report -------------------------------------------------------------------------------

def _row(label, value, unit, reference=None, higher_is_better=True):
    if reference is None:
        return '  %-46s %12s %-8s %12s %8s' % (label, value, unit, '-', '')
    ratio = (float(value) / reference) if higher_is_better else (reference / float(value))
    mark = 'ok' if ratio >= GOAL else 'below %dx' % GOAL
    return '  %-46s %12s %-8s %12s %7.1fx  %s' % (label, value, unit, reference, ratio, mark)


def report(args, r):
    print()
    print('netmgr core benchmark: db=%s api_workers=%d%s' % (
        args.db, args.workers, ' (quick)' if args.quick else ''))
    print('  %-46s %12s %-8s %12s %8s' % ('measure', 'netmgr', 'unit', 'Neutron ref',
                                          'ratio'))
    print('  ' + '-' * 98)
    print(_row('a. port create, sequential', '%.1f' % r['seq_create'], 'ports/s',
               REFERENCE['seq_create']))
    print(_row('   (per request)', '%.2f' % r['seq_ms'], 'ms'))
    print(_row('b. port create, %d clients' % args.sizes['threads'], '%.1f' % r['conc_create'],
               'ports/s', REFERENCE['conc_create']))
    print(_row('   duplicate IPs / errors', '%d / %d' % (r['conc_dup'], r['conc_errors']), ''))
    print(_row('c. GET /v2.0/ports, %d ports' % r['list_small_count'],
               '%.3f' % r['list_small'], 's', REFERENCE['list_1500'], higher_is_better=False))
    print(_row('   GET /v2.0/ports, %d ports (%.1f MB)' % (
        r['list_big_count'], r['list_big_bytes'] / 1e6), '%.3f' % r['list_big'], 's'))
    print(_row('d. fill %s: first 1,000 allocations' % args.sizes['fill_cidr'],
               '%.2f' % r['fill_first'], 's'))
    print(_row('   last 1,000 allocations (%d in %.0f s)' % (r['fill_total'], r['fill_seconds']),
               '%.2f' % r['fill_last'], 's'))
    print(_row('e. network + subnet create/delete cycle', '%.1f' % r['net_cycle'], 'cycles/s',
               REFERENCE['net_cycle']))
    print(_row('f. router+gateway+interface+port+floating IP cycle', '%.1f' % r['l3_cycle'],
               'cycles/s'))
    print()


# ---- databases ----------------------------------------------------------------------------

@contextlib.contextmanager
def database(backend, workdir):
    """A fresh database URL (None for SQLite: the server's default under state_path)."""
    if backend == 'sqlite':
        yield None
        return
    name = databases.run_prefix() + '_bench'
    url = databases.create_database(backend, name)
    try:
        yield url
    finally:
        databases.drop_database(backend, name)


def run_server_bench(args):
    workdir = pathlib.Path(tempfile.mkdtemp(prefix='netmgr_bench_'))
    results = {}
    try:
        with database(args.db, workdir) as url:
            server = fixture_server.start_server(workdir, connection=url, debug=False,
                                                 api_workers=args.workers)
            if args.workers > 1:  # let every worker come up before measuring
                time.sleep(1.0)
            try:
                api = Api(server.port)
                steps = (('a', lambda: bench_sequential(api, args.sizes)),
                         ('b', lambda: bench_concurrent(server.port, args.sizes)),
                         ('c', lambda: bench_lists(api, args.sizes)),
                         ('e', lambda: bench_cycles(api, args.sizes)),
                         ('f', lambda: bench_l3_cycles(api, args.sizes)),
                         ('d', lambda: bench_fill(api, args.sizes)))
                for name, step in steps:
                    start = time.perf_counter()
                    results.update(step())
                    print('  step %s done in %.1f s' % (name, time.perf_counter() - start),
                          file=sys.stderr, flush=True)
                api.close()
            finally:
                server.stop()
        report(args, results)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# ---- profiles (in-process, no server) ------------------------------------------------------

def _top(profile, limit=25):
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats('cumulative').print_stats(limit)
    out.write('\n--- by own time ---\n')
    stats.sort_stats('tottime').print_stats(limit)
    return out.getvalue()


def run_profiles(args):
    from netmgr.api.wsgi import faults
    from netmgr import conf as nm_conf
    from netmgr import context as nm_context
    from netmgr.db import api as db_api
    from netmgr.db import migration

    workdir = pathlib.Path(tempfile.mkdtemp(prefix='netmgr_prof_'))
    try:
        with database(args.db, workdir) as url:
            url = url or 'sqlite:///' + str(workdir / 'netmgr.sqlite')
            migration.upgrade(url)
            db = db_api.Database(url)
            unlimited = {'QUOTAS.' + k: v for k, v in fixture_server.UNLIMITED_QUOTAS.items()}
            client = wiring.build_client(nm_conf.new_conf(**unlimited),
                                         nm_context.admin_context('admin'), db=db)
            net = client.create_network(name='prof')
            client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/16')
            for _ in range(20):
                client.create_port(network_id=net['id'])
            n = args.sizes['profile_creates']
            profile = cProfile.Profile()
            start = time.perf_counter()
            profile.enable()
            for _ in range(n):
                client.create_port(network_id=net['id'])
            profile.disable()
            elapsed = time.perf_counter() - start
            print('== in-process port create: %d in %.2f s = %.2f ms each (profiled)'
                  % (n, elapsed, elapsed / n * 1000))
            print(_top(profile))

            target = args.sizes['profile_list']
            have = n + 20
            while have < target:
                count = min(200, target - have)
                client.create_bulk('ports', [{'network_id': net['id']}] * count)
                have += count
            timings = []
            for _ in range(3):
                start = time.perf_counter()
                items, _more = client.ops.list(client.context, 'ports')
                mid = time.perf_counter()
                faults.json_response(200, {'ports': items})
                timings.append((mid - start, time.perf_counter() - mid))
            profile = cProfile.Profile()
            profile.enable()
            items, _more = client.ops.list(client.context, 'ports')
            faults.json_response(200, {'ports': items})
            profile.disable()
            print('== list of %d ports in-process: query+dicts %.3f s, JSON %.3f s (median, '
                  'unprofiled)' % (len(items), statistics.median(t[0] for t in timings),
                                   statistics.median(t[1] for t in timings)))
            print(_top(profile))
            db.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--db', choices=('sqlite', 'mysql', 'postgresql'), default='sqlite')
    parser.add_argument('--workers', type=int, default=1, help='api_workers of the server')
    parser.add_argument('--quick', action='store_true', help='small counts, < 1 minute')
    parser.add_argument('--profile', action='store_true',
                        help='profile in-process creates and lists instead (no server)')
    args = parser.parse_args(argv)
    args.sizes = QUICK if args.quick else FULL
    if args.profile:
        run_profiles(args)
    else:
        run_server_bench(args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
