"""What one simulated host with its own Open vSwitch costs (tests/fixtures/ovs_hosts.py).

    python -m tests.benchmarks.bench_ovs_hosts [--hosts N]

Not a test: it measures and prints. N hosts are added one after another to one lab (each:
namespace, database, ovsdb-server, ovs-vswitchd, underlay veth, bridge and tunnel endpoint),
then the RSS of their daemons is read, then ovs-vswitchd of each is restarted, then each host
is stopped (both daemons, by PID); medians of the N. The lab removes everything at the end.
"""

import argparse
import pathlib
import statistics
import time

from tests.fixtures import ovs_hosts


def _rss_mb(pid):
    for line in pathlib.Path('/proc/%d/status' % pid).read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024.0
    return float('nan')


def _timed(function):
    started = time.monotonic()
    function()
    return time.monotonic() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', type=int, default=7)
    args = parser.parse_args(argv)
    with ovs_hosts.open_ovs_hosts() as lab:
        starts = [_timed(lab.add_host) for _ in range(args.hosts)]
        time.sleep(1.0)     # let the daemons settle before reading their memory
        rss = {daemon: [_rss_mb(host.pids[daemon]) for host in lab.hosts]
               for daemon in ovs_hosts.DAEMONS}
        restarts = [_timed(host.restart_vswitchd) for host in lab.hosts]
        stops = [_timed(host.stop) for host in lab.hosts]
    print('hosts: %d (medians)' % args.hosts)
    print('start (with underlay join): %.3f s' % statistics.median(starts))
    print('restart ovs-vswitchd:       %.3f s' % statistics.median(restarts))
    print('stop:                       %.3f s' % statistics.median(stops))
    for daemon, values in rss.items():
        print('%-27s %.1f MB' % ('RSS ' + daemon + ':', statistics.median(values)))


if __name__ == '__main__':
    main()
