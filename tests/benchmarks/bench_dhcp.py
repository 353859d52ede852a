"""DHCP agent benchmark.

    python -m tests.benchmarks.bench_dhcp

Not a test: it measures and prints.

1. Plug to lease, end to end: a netmgr-server (SQLite, agent RPC on a RabbitMQ virtual host
   of its own), one netmgr-ovs-agent and one netmgr-dhcp-agent for the same simulated host
   on prefixed userspace bridges (tests.fixtures.netlab), a network with a DHCP subnet. Per
   round: a port is created through the REST API (bound to the host), an instance namespace
   is plugged into br-int like Nova's OVS VIF, and ``busybox udhcpc`` runs in it at once.
   Printed: port create -> its host line in dnsmasq's hosts file; plug -> port ACTIVE;
   udhcpc start -> lease (after ACTIVE); plug -> lease with udhcpc started right at plug
   (its retransmissions are 1 s apart, so a DISCOVER sent before the OVS agent tagged the
   port costs a second).
2. One port change on a network of 5,000 ports, in process: the agent's cache and file writer
   with a fake server and a fake dnsmasq process; one port_update_end -> hosts file written
   and SIGHUP sent (the dhcp_release of the old lease is counted, not run).

Everything made is removed at the end; processes are stopped by PID.
"""

import os
import re
import statistics
import tempfile
import types
import time

from netmgr.agent.dhcp import agent as dhcp_agent
from netmgr.agent.linux import dnsmasq
from tests.benchmarks import lab as bench_lab
from tests.fixtures import agents

ROUNDS = 10
BIG_NETWORK = 5000
SCRIPT = '#!/bin/sh\n[ "$1" = bound ] && echo "LEASE $ip"\nexit 0\n'
DHCP_AGENT_BIN = agents.AGENT_BIN.with_name('netmgr-dhcp-agent')


def _ms(values):
    return 'median %.0f ms (min %.0f, max %.0f)' % (
        statistics.median(values) * 1000, min(values) * 1000, max(values) * 1000)


def _plug(lab, int_br, port):
    ns = lab.namespace()
    veth = lab.veth_into(ns, int_br, external_ids={
        'iface-id': port['id'], 'attached-mac': port['mac_address'], 'vm-uuid': ns,
        'iface-status': 'active'})
    lab.executor.execute(['ip', 'link', 'set', veth.inner, 'address', port['mac_address']],
                         namespace=ns)
    return ns, veth.inner


def _udhcpc(lab, ns, device, script, tries=10):
    out = lab.executor.execute(['busybox', 'udhcpc', '-i', device, '-n', '-q', '-f', '-t',
                                str(tries), '-T', '1', '-s', script], namespace=ns,
                               check_exit_code=False)
    found = re.search(r'LEASE (\S+)', out)
    return found.group(1) if found else None


def _lease_round(lab, api, host, int_br, network, hosts_file, script, udhcpc_at_plug):
    start = time.monotonic()
    port = api.create('port', network_id=network['id'], **{'binding:host_id': host})
    agents.wait_for(lambda: port['mac_address'] in _read(hosts_file), timeout=30,
                    interval=0.005, message='host entry')
    in_hosts = time.monotonic() - start
    plugged = time.monotonic()
    ns, device = _plug(lab, int_br, port)
    if udhcpc_at_plug:
        address = _udhcpc(lab, ns, device, script)
        return in_hosts, None, None, time.monotonic() - plugged, address == _ip(port)
    agents.wait_for(lambda: api.show('port', port['id'])['status'] == 'ACTIVE', timeout=30,
                    interval=0.005, message='ACTIVE')
    active = time.monotonic() - plugged
    asked = time.monotonic()
    address = _udhcpc(lab, ns, device, script)
    return in_hosts, active, time.monotonic() - asked, None, address == _ip(port)


def _ip(port):
    return port['fixed_ips'][0]['ip_address']


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ''


def bench_lease():
    with bench_lab.agent_stack('dhcp', dhcp=True) as stack:
        api, host, int_br, lab = stack.api, stack.host, stack.int_br, stack.lab
        network = api.create('network', name='bench')
        api.create('subnet', network_id=network['id'], cidr='10.80.0.0/24', ip_version=4)
        hosts_file = str(stack.dhcp_state / 'dhcp' / network['id'] / 'host')
        agents.wait_for(lambda: os.path.exists(hosts_file), timeout=30, message='dnsmasq up')
        dhcp_port = api.list('ports', {'network_id': network['id'],
                                       'device_owner': 'network:dhcp'})[0]
        agents.wait_for(lambda: api.show('port', dhcp_port['id'])['status'] == 'ACTIVE',
                        timeout=30, message='DHCP port ACTIVE')
        script = str(stack.tmp / 'udhcpc.sh')
        with open(script, 'w') as f:
            f.write(SCRIPT)
        os.chmod(script, 0o755)
        steps = [_lease_round(lab, api, host, int_br, network, hosts_file, script, False)
                 for _ in range(ROUNDS)]
        direct = [_lease_round(lab, api, host, int_br, network, hosts_file, script, True)
                  for _ in range(ROUNDS)]
        print('plug -> DHCP lease (%d rounds each; reference Neutron ~1.1 s)' % ROUNDS)
        print('  port create -> host line in dnsmasq hosts: %s' %
              _ms([s[0] for s in steps + direct]))
        print('  plug -> port ACTIVE:                       %s' % _ms([s[1] for s in steps]))
        print('  udhcpc -> lease (port ACTIVE):             %s' % _ms([s[2] for s in steps]))
        print('  plug -> lease, udhcpc started at plug:     %s' % _ms([s[3] for s in direct]))
        print('  right address every time: %s' % all(s[4] for s in steps + direct))


# ---- 2: one change among 5,000 ports, in process -----------------------------------------

class _Server:
    def __init__(self, info):
        self.info = info

    def get_active_networks_info(self, context):
        return [self.info]

    def get_dhcp_port(self, context, network_id, device_id):
        return self.info['ports'][0]


class _Driver:
    """No bridge at all: nothing in the namespaces of this host is the agent's."""
    integration_bridge = 'br-bench'
    ovsdb = types.SimpleNamespace(
        bridge=lambda name: types.SimpleNamespace(port_names=lambda: []))

    def plug(self, *args, **kwargs):
        pass

    def init_l3(self, *args):
        pass


class _Executor:
    """dhcp_release of the changed port's old lease: counted, not run."""

    def __init__(self):
        self.commands = 0

    def execute(self, cmd, namespace=None, **kwargs):
        self.commands += 1
        return ''


class _Process:
    pid_file = '/dev/null'
    pid = None

    def __init__(self):
        self.cmd, self.reloads = None, 0

    def active(self):
        return self.cmd is not None

    def cmdline(self):
        return self.cmd

    def spawn(self, cmd):
        self.cmd = cmd

    def reload(self):
        self.reloads += 1
        return True


def _port(n):
    return {'id': 'port-%05d' % n, 'network_id': 'big', 'mac_address':
            'fa:16:3e:%02x:%02x:%02x' % (n >> 16, (n >> 8) & 255, n & 255),
            'fixed_ips': [{'subnet_id': 'sub', 'ip_address': '10.%d.%d.%d' % (
                n >> 16, (n >> 8) & 255, n & 255)}]}


def bench_big_network():
    ports = [_port(n) for n in range(2, BIG_NETWORK + 2)]
    info = {'id': 'big', 'admin_state_up': True, 'ports': ports,
            'subnets': [{'id': 'sub', 'cidr': '10.0.0.0/16', 'ip_version': 4,
                         'enable_dhcp': True, 'gateway_ip': '10.0.0.1',
                         'dns_nameservers': [], 'host_routes': []}]}
    proc = _Process()
    with tempfile.TemporaryDirectory() as tmp:
        agent = dhcp_agent.DhcpAgent('bench', _Server(info), _Driver(), _Executor(), tmp,
                                     process_check_interval=3600)
        real_dnsmasq_for = agent.dnsmasq_for

        def dnsmasq_for(network_id):
            server = real_dnsmasq_for(network_id)
            server.process = proc
            return server
        agent.dnsmasq_for = dnsmasq_for
        agent.run_once()
        hosts = os.path.join(tmp, 'dhcp', 'big', 'host')
        assert len(_read(hosts).splitlines()) == BIG_NETWORK
        timings = []
        for n in range(20):
            changed = dict(_port(1000 + n), mac_address='fa:16:3e:ff:00:%02x' % n)
            start = time.monotonic()
            agent.notify('port_update_end', {'port': changed})
            agent.run_once()
            timings.append(time.monotonic() - start)
            assert changed['mac_address'] in _read(hosts)
        print('one port_update_end on a network of %d ports -> hosts file written + SIGHUP: '
              '%s; %d reloads' % (BIG_NETWORK, _ms(timings), proc.reloads))
        size = os.path.getsize(hosts)
        start = time.monotonic()
        dnsmasq.render_hosts(ports, info['subnets'])
        print('  (rendering the %d kB hosts file alone: %.1f ms)' % (
            size // 1024, (time.monotonic() - start) * 1000))


def main():
    bench_big_network()
    bench_lease()


if __name__ == '__main__':
    main()
