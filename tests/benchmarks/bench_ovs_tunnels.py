"""OVS agent tunnel benchmark: tunnelled (vxlan) networks across hosts that each run their own
Open vSwitch (tests/fixtures/ovs_hosts.py).

    python -m tests.benchmarks.bench_ovs_tunnels [--rounds N]

Not a test: it measures and prints medians with min and max over N rounds. It starts a
netmgr-server (SQLite, tenant networks vxlan, agent RPC over the local RabbitMQ on a virtual
host of its own) and two hosts with a netmgr-ovs-agent each (vxlan, L2 population), then:

- plug -> ACTIVE for 1 and for 50 ports of a new network on host 1 (created through the REST
  API bound to host 1, plugged in ONE OVSDB transaction as internal ports with a VIF driver's
  external_ids; the API polled until every one is ACTIVE); the network has an instance on
  host 2, so the agent also pulls its FDB entries before reporting the ports up;
- a host's first port on a network -> its first answered ping to an instance of another host
  (an instance namespace plugged on host 2 that pings once its port is ACTIVE, until
  answered); and the same on a host that just joined (a new host, its agent just reporting);
- ping RTT across the tunnel between two instances (per-packet times of one ping run).

Everything made is removed at the end; processes are stopped by PID.
"""

import argparse
import contextlib
import pathlib
import re
import statistics
import sys
import tempfile
import time

from netmgr.agent.linux import ovs_lib
from netmgr import exceptions
from tests.fixtures import agents
from tests.fixtures import ovs_hosts as ovs_hosts_fixture
from tests.fixtures import rabbit
from tests.fixtures import server as server_fixture

SIZES = (1, 50)
PING_SAMPLES = 50


@contextlib.contextmanager
def tunnel_stack():
    """(lab, server, agent factory, [TunnelHost, TunnelHost]), removed on exit."""
    with rabbit.private_vhost('netmgr-bench-tun-') as vhost, \
            tempfile.TemporaryDirectory() as tmp, ovs_hosts_fixture.open_ovs_hosts() as lab:
        options = rabbit.options_for(vhost)
        server = server_fixture.start_server(
            pathlib.Path(tmp) / 'server', api_workers=1, debug=False, **options,
            sections={'l2': {'tenant_network_types': 'vxlan'}})
        factory = agents.AgentFactory(pathlib.Path(tmp) / 'agents')
        try:
            hosts = [agents.tunnel_ovs_host(lab, factory, options, server) for _ in range(2)]
            yield lab, server, factory, options, hosts
        finally:
            factory.stop_all()
            server.stop()


def instance(lab, api, where, network, ip):
    port = agents.bound_port(api, network, where.host.name)
    veth = lab.plug_instance(where.host, where.int_br, port['id'], port['mac_address'],
                             ip + '/24')
    return port, veth.namespace


def answers(lab, namespace, address):
    """One ping with a 0.2 s deadline: answered or not."""
    try:
        lab.executor.execute(['ping', '-c1', '-W0.2', '-n', '-q', address],
                             namespace=namespace)
    except exceptions.ProcessExecutionError:
        return False
    return True


def active(api, ids):
    ports = api.list('ports', {'device_owner': 'bench', 'status': 'ACTIVE', 'fields': 'id'})
    return {p['id'] for p in ports} >= set(ids)


def plug_to_active(lab, api, where, other, count, round_no):
    """Seconds from plugging ``count`` ports of a new network on ``where`` to all ACTIVE."""
    network = api.create('network', name='bench-plug-%d-%d' % (count, round_no))
    api.create('subnet', network_id=network['id'], ip_version=4,
               cidr='10.%d.%d.0/24' % (100 + count % 100, round_no))
    instance(lab, api, other, network, '10.%d.%d.250' % (100 + count % 100, round_no))
    ports = [api.create('port', network_id=network['id'], device_owner='bench',
                        **{'binding:host_id': where.host.name}) for _ in range(count)]
    ovsdb = ovs_lib.OVSDB(where.host.db_connection, ovs_rundir=str(where.host.directory))
    bridge = ovsdb.bridge(where.int_br)
    started = time.monotonic()
    with ovsdb.transaction() as txn:
        for i, port in enumerate(ports):
            bridge.add_port('%sr%dc%dp%d' % (lab.prefix, round_no, count, i),
                            port_type='internal',
                            external_ids={'iface-id': port['id'],
                                          'attached-mac': port['mac_address'],
                                          'vm-uuid': 'bench'}, txn=txn)
    agents.wait_for(lambda: active(api, [p['id'] for p in ports]), timeout=120,
                    interval=0.02, message='%d ports ACTIVE' % count)
    return time.monotonic() - started


def first_ping(lab, api, where, network, ip, target):
    """Seconds from plugging a first port of ``network`` on ``where`` to its first answered
    ping to ``target`` (an instance of another host). The instance starts pinging once its
    port is ACTIVE, as Nova starts an instance once its VIFs are plugged: a ping sent
    earlier would leave a failed neighbour entry that the kernel retries a second later."""
    port = agents.bound_port(api, network, where.host.name)
    started = time.monotonic()
    veth = lab.plug_instance(where.host, where.int_br, port['id'], port['mac_address'],
                             ip + '/24')
    agents.wait_for(lambda: agents.port_status(api, port['id']) == 'ACTIVE', timeout=60,
                    interval=0.02, message='port ACTIVE')
    agents.wait_for(lambda: answers(lab, veth.namespace, target), timeout=120, interval=0,
                    message='first ping')
    return time.monotonic() - started


def network_with_instance(lab, api, where, name, third):
    network = api.create('network', name=name)
    api.create('subnet', network_id=network['id'], ip_version=4, cidr='10.%d.0.0/24' % third)
    port, _ns = instance(lab, api, where, network, '10.%d.0.1' % third)
    agents.wait_for(lambda: agents.port_status(api, port['id']) == 'ACTIVE', timeout=60,
                    message='instance ACTIVE')
    return network


def rtts(lab, namespace, address):
    text = lab.executor.execute(['ping', '-c', str(PING_SAMPLES), '-i', '0.02', '-n',
                                 address], namespace=namespace)
    return [float(ms) / 1000.0 for ms in re.findall(r'time=([\d.]+) ms', text)]


def report(label, values, unit='s', scale=1.0):
    values = [v * scale for v in values]
    print('%-46s median %8.3f %s  (min %.3f, max %.3f, n=%d)' % (
        label, statistics.median(values), unit, min(values), max(values), len(values)))
    sys.stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args(argv)
    with tunnel_stack() as (lab, server, factory, options, (h1, h2)):
        api = server.client()
        for count in SIZES:
            report('plug -> ACTIVE, %d port(s)' % count,
                   [plug_to_active(lab, api, h1, h2, count, n) for n in range(args.rounds)])
        firsts = []
        for n in range(args.rounds):
            network = network_with_instance(lab, api, h1, 'bench-first-%d' % n, 150 + n)
            firsts.append(first_ping(lab, api, h2, network, '10.%d.0.2' % (150 + n),
                                     '10.%d.0.1' % (150 + n)))
        report("a host's first port -> ping to another host", firsts)
        joined = []
        for n in range(min(args.rounds, 3)):
            network = network_with_instance(lab, api, h1, 'bench-join-%d' % n, 170 + n)
            newcomer = agents.tunnel_ovs_host(lab, factory, options, server)
            joined.append(first_ping(lab, api, newcomer, network, '10.%d.0.2' % (170 + n),
                                     '10.%d.0.1' % (170 + n)))
        report('a new host\'s first port -> ping to a host', joined)
        network = network_with_instance(lab, api, h1, 'bench-rtt', 190)
        _port, ns = instance(lab, api, h2, network, '10.190.0.2')
        agents.wait_for(lambda: answers(lab, ns, '10.190.0.1'), timeout=60, interval=0,
                        message='ping across')
        report('ping RTT across the tunnel', rtts(lab, ns, '10.190.0.1'), 'ms', 1000.0)


if __name__ == '__main__':
    main()
