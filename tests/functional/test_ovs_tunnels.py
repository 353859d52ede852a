"""Tunnel networks across hosts that each run their own Open vSwitch (tests/fixtures/ovs_hosts.py),
with a real netmgr-server (tenant networks are vxlan, no VLAN configuration at all), the real
RabbitMQ and one netmgr-ovs-agent process per host in the root namespace, driving its host's
Open vSwitch through [OVS] ovsdb_connection and ovs_rundir; each host's tunnel endpoint is an
address of the host's namespace.

Instances on two hosts ping across vxlan, geneve and gre networks; another tenant's network
with the same CIDR is not reached. With L2 population, a host without ports on a network gets
none of its floods (and does get them with l2_population off, so the count can fail). A
kill -9'd agent restarted (after a port of another host went meanwhile) and a restarted
ovs-vswitchd cost established traffic about a second at most, the host's br-tun converges to
the server's state, and no other host's br-tun flow is rewritten."""

import re
import threading
import time

import pytest

from netmgr.agent.linux import ofctl
from netmgr import devnames
from tests.fixtures.agents import (bound_port, port_status as _status, tunnel_ovs_host,
                                   wait_for)
from tests.functional.rest_helpers import _net

pytestmark = pytest.mark.functional

TYPES = ('vxlan', 'geneve', 'gre')
SETTLE = 60         # seconds for anything the agents do


@pytest.fixture(scope='module')
def server(module_server_factory, rpc_options):
    return module_server_factory('tunnels', api_workers=1, **rpc_options,
                                 sections={'l2': {'tenant_network_types': 'vxlan'}})


def hosts(ovs_hosts, agent_factory, rpc_options, server, count=3, l2_population=True):
    return [tunnel_ovs_host(ovs_hosts, agent_factory, rpc_options, server, TYPES,
                            l2_population) for _ in range(count)]


class Instance:
    def __init__(self, lab, api, where, network, ip):
        self.where, self.network, self.ip = where, network, ip
        self.port = bound_port(api, network, where.host.name)
        self.veth = lab.plug_instance(where.host, where.int_br, self.port['id'],
                                      self.port['mac_address'], ip + '/24')
        self.namespace = self.veth.namespace

    def local_vlan(self):
        return int(self.where.host.vsctl('get', 'Port', self.veth.outer, 'tag').strip())


def active(api, *instances):
    for instance in instances:
        wait_for(lambda i=instance: _status(api, i.port['id']) == 'ACTIVE', timeout=SETTLE,
                 message='port of %s ACTIVE' % instance.ip)


def tunnel_port(where, other, network_type):
    return devnames.tunnel_port_name(network_type, other.host.local_ip)


def ofport(where, name):
    return int(where.host.vsctl('get', 'Interface', name, 'ofport').strip())


def floods_to(instance, other):
    """Whether the flood flow of ``instance``'s network on its host outputs to ``other``'s
    tunnel port."""
    where = instance.where
    name = tunnel_port(where, other, instance.network['provider:network_type'])
    try:
        port, vlan = ofport(where, name), instance.local_vlan()
    except Exception:       # the port is not there yet
        return False
    dump = where.host.ofctl('dump-flows', where.tun_br, 'table=22', check_exit_code=False)
    return any(f.match.get('dl_vlan') == str(vlan) and 'output:%d' % port in f.actions
               for f in ofctl.parse_dump(dump))


def linked(*instances):
    """Wait until each instance's host floods its network to the others' hosts."""
    for one in instances:
        for other in instances:
            if one.where is not other.where:
                wait_for(lambda a=one, b=other: floods_to(a, b.where), timeout=SETTLE,
                         message='flood flow of %s towards %s' % (one.ip, other.where.host))


def admin_network(api, network_type, cidr):
    network, _ = _net(api, cidr=cidr, **{'provider:network_type': network_type})
    return api.show('network', network['id'])


@pytest.mark.parametrize('network_type', TYPES)
def test_instances_on_two_hosts_ping_across_and_another_tenant_is_not_reached(
        ovs_hosts, agent_factory, rpc_options, server, network_type):
    h1, h2, _h3 = hosts(ovs_hosts, agent_factory, rpc_options, server)
    admin = server.client()
    if network_type == 'vxlan':     # the tenants' default type
        mine, _ = _net(admin.as_tenant('t-one'), cidr='10.71.0.0/24')
        theirs, _ = _net(admin.as_tenant('t-two'), cidr='10.71.0.0/24')
        mine, theirs = admin.show('network', mine['id']), admin.show('network', theirs['id'])
    else:
        mine = admin_network(admin, network_type, '10.71.0.0/24')
        theirs = admin_network(admin, network_type, '10.71.0.0/24')
    assert mine['provider:network_type'] == theirs['provider:network_type'] == network_type
    a1 = Instance(ovs_hosts, admin, h1, mine, '10.71.0.11')
    a2 = Instance(ovs_hosts, admin, h2, mine, '10.71.0.12')
    b1 = Instance(ovs_hosts, admin, h1, theirs, '10.71.0.13')
    b2 = Instance(ovs_hosts, admin, h2, theirs, '10.71.0.14')
    active(admin, a1, a2, b1, b2)
    linked(a1, a2)
    linked(b1, b2)
    ping = ovs_hosts.netlab.ping
    assert ping(a1.namespace, '10.71.0.12')         # the first packet gets through
    assert ping(a2.namespace, '10.71.0.11')
    assert ping(b2.namespace, '10.71.0.13')
    assert not ping(a1.namespace, '10.71.0.14')     # the other tenant, on the other host
    assert not ping(a2.namespace, '10.71.0.13')
    assert not ping(b1.namespace, '10.71.0.12')


def tunnel_rx_packets(where, others, network_type):
    """Packets ``where`` received so far from the tunnels of ``others`` (their tunnel ports'
    rx counters, read from ovs-vswitchd itself)."""
    total = 0
    for other in others:
        name = tunnel_port(where, other, network_type)
        text = where.host.ofctl('dump-ports', where.tun_br, name, check_exit_code=False)
        found = re.search(r'rx pkts=(\d+)', text)
        total += int(found.group(1)) if found else 0
    return total


def broadcast_from(lab, *instances):
    """Each instance asks for an address nobody has (ARP broadcasts) and pings the subnet's
    broadcast address."""
    for instance in instances:
        lab.executor.execute(['ping', '-c', '3', '-i', '0.2', '-W', '1', '-n', '-q',
                              '10.72.0.99'], namespace=instance.namespace,
                             check_exit_code=False)
        lab.executor.execute(['ping', '-b', '-c', '3', '-i', '0.2', '-W', '1', '-n', '-q',
                              '10.72.0.255'], namespace=instance.namespace,
                             check_exit_code=False)


def floods_seen_by_a_bystander(ovs_hosts, agent_factory, rpc_options, server, l2_population):
    """Hosts 1 and 2 broadcast on a network with instances on them only; host 3 has an
    instance on another network. Returns (packets host 2 got from host 1, packets host 3 got
    from hosts 1 and 2) while they broadcast."""
    h1, h2, h3 = hosts(ovs_hosts, agent_factory, rpc_options, server,
                       l2_population=l2_population)
    admin = server.client()
    network, _ = _net(admin, cidr='10.72.0.0/24')
    network = admin.show('network', network['id'])
    elsewhere, _ = _net(admin, cidr='10.73.0.0/24')
    a1 = Instance(ovs_hosts, admin, h1, network, '10.72.0.11')
    a2 = Instance(ovs_hosts, admin, h2, network, '10.72.0.12')
    c3 = Instance(ovs_hosts, admin, h3, admin.show('network', elsewhere['id']), '10.73.0.13')
    active(admin, a1, a2, c3)
    linked(a1, a2)
    assert ovs_hosts.netlab.ping_within(a1.namespace, '10.72.0.12')
    bystander = tunnel_rx_packets(h3, [h1, h2], 'vxlan')
    peer = tunnel_rx_packets(h2, [h1], 'vxlan')
    broadcast_from(ovs_hosts.netlab, a1, a2)
    return (tunnel_rx_packets(h2, [h1], 'vxlan') - peer,
            tunnel_rx_packets(h3, [h1, h2], 'vxlan') - bystander)


def test_a_host_without_ports_on_a_network_gets_none_of_its_floods(
        ovs_hosts, agent_factory, rpc_options, server):
    peer, bystander = floods_seen_by_a_bystander(ovs_hosts, agent_factory, rpc_options,
                                                 server, l2_population=True)
    assert peer >= 6            # the broadcasts did cross between hosts 1 and 2
    assert bystander == 0


def test_without_l2_population_every_host_gets_the_floods(
        ovs_hosts, agent_factory, rpc_options, server):
    peer, bystander = floods_seen_by_a_bystander(ovs_hosts, agent_factory, rpc_options,
                                                 server, l2_population=False)
    assert peer >= 6
    assert bystander >= 6


# ---- restarts --------------------------------------------------------------------------------

def br_tun_rules(where):
    """{rule without counters: duration} of a host's br-tun, learned rules left out (they
    come and go with the traffic)."""
    rules = {}
    for line in where.host.ofctl('dump-flows', where.tun_br).splitlines():
        parsed = ofctl.parse_dump(line)
        duration = re.search(r'duration=([\d.]+)s', line)
        if not parsed or not duration:
            continue
        flow = parsed[0]
        if (flow.table, flow.priority) == (20, 1):
            continue
        rules[(flow.table, flow.priority, tuple(sorted(flow.match.items())),
               flow.actions)] = float(duration.group(1))
    return rules


def assert_not_rewritten(before, after, elapsed):
    """The same rules, each at least ``elapsed`` seconds older: none was added again."""
    assert set(after) == set(before)
    rewritten = [rule for rule, age in after.items() if age + 0.5 < before[rule] + elapsed]
    assert rewritten == []


class Pinger:
    """Pings ``address`` from ``namespace`` once per about 0.1 s; counts the unanswered."""

    def __init__(self, lab, namespace, address):
        self.lab, self.namespace, self.address = lab, namespace, address
        self.sent = self.lost = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._stop.is_set():
            self.sent += 1
            try:
                self.lab.executor.execute(['ping', '-c1', '-W1', '-n', '-q', self.address],
                                          namespace=self.namespace)
            except Exception:
                self.lost += 1
            self._stop.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def unicast_to(where, mac):
    """Whether ``where``'s br-tun has an L2 population entry for ``mac``."""
    return any(table == 20 and priority == 2 and ('dl_dst', mac) in match
               for table, priority, match, _actions in br_tun_rules(where))


def test_agent_kill_and_vswitchd_restart_keep_traffic_and_other_hosts_flows(
        ovs_hosts, agent_factory, rpc_options, server):
    h1, h2, h3 = hosts(ovs_hosts, agent_factory, rpc_options, server)
    admin = server.client()
    network, _ = _net(admin, cidr='10.74.0.0/24')
    network = admin.show('network', network['id'])
    a1, a2, a3 = [Instance(ovs_hosts, admin, where, network, '10.74.0.1%d' % n)
                  for n, where in enumerate((h1, h2, h3), 1)]
    gone = Instance(ovs_hosts, admin, h3, network, '10.74.0.23')
    active(admin, a1, a2, a3, gone)
    linked(a1, a2, a3)
    lab = ovs_hosts.netlab
    assert lab.ping_within(a1.namespace, '10.74.0.12')
    assert lab.ping_within(a3.namespace, '10.74.0.12')
    others, mac = (h1, h3), gone.port['mac_address']
    wait_for(lambda: unicast_to(h2, mac), timeout=SETTLE, message='entry of the port to go')
    own = {rule for rule in br_tun_rules(h2) if ('dl_dst', mac) not in rule[2]}

    # kill -9 of host 2's agent; a port of host 3 goes meanwhile (the cast saying so never
    # reaches host 2); the restarted agent converges from one pull, keeping its flows
    resyncs = h2.agent.log_text().count('resynchronised')
    with Pinger(lab, a1.namespace, '10.74.0.12') as pinger:
        h2.agent.kill()
        assert lab.ping(a1.namespace, '10.74.0.12')         # nothing drives host 2 now
        admin.remove('port', gone.port['id'])
        wait_for(lambda: not unicast_to(h1, mac), timeout=SETTLE, message='host 1 told')
        before, since = [br_tun_rules(h) for h in others], time.monotonic()
        h2.agent.start()
        wait_for(lambda: h2.agent.log_text().count('resynchronised') > resyncs,
                 timeout=SETTLE, message='the restarted agent in step with the server')
        assert lab.ping_within(a3.namespace, '10.74.0.12')
    assert pinger.sent > 5 and pinger.lost <= 1, (pinger.sent, pinger.lost)
    for where, rules in zip(others, before):
        assert_not_rewritten(rules, br_tun_rules(where), time.monotonic() - since)
    assert set(br_tun_rules(h2)) == own         # the stale entry swept, nothing else lost

    # host 2's ovs-vswitchd restarts: every flow of its bridges is gone, the agent puts them
    # back from its state
    before, since = [br_tun_rules(h) for h in others], time.monotonic()
    reprograms = h2.agent.log_text().count('reprogramming')
    h2.host.restart_vswitchd()
    started = time.monotonic()
    wait_for(lambda: h2.agent.log_text().count('reprogramming') > reprograms, timeout=SETTLE,
             message='the agent noticing the lost flows')
    assert lab.ping_within(a1.namespace, '10.74.0.12', seconds=SETTLE)
    assert lab.ping_within(a2.namespace, '10.74.0.13', seconds=SETTLE)
    recovered = time.monotonic() - started
    for where, rules in zip(others, before):
        assert_not_rewritten(rules, br_tun_rules(where), time.monotonic() - since)
    assert set(br_tun_rules(h2)) == own
    assert recovered < 15, recovered
    assert _status(admin, a2.port['id']) == 'ACTIVE'
