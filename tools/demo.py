"""netmgr's main job, all on this host with SQLite: the server, the OVS agent, the DHCP and L3
helpers, the seed scenario through the API, two instances booted by netmgr-compute with
``--nic``, their DHCP leases, pings across the router and from the outside to a floating IP,
a report, then cleanup (``--keep`` leaves everything running and says how to stop it).

Everything the demo makes on the host is named with one prefix (``dm`` + 4 hex digits) and
removed by record: OVS bridges, the "outside" namespace, instance namespaces; the agents
remove the qdhcp-/qrouter- namespaces of the networks and routers the demo deletes.

    .venv/bin/python tools/demo.py [--keep] [--workdir DIR]
"""

import argparse
import json
import os
import pathlib
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings

warnings.filterwarnings('ignore', category=DeprecationWarning)
warnings.filterwarnings('ignore', message=r'(?s).*Eventlet is deprecated')

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from netmgr.agent.linux import ip_lib  # noqa: E402
from tests.fixtures import agents as agent_procs  # noqa: E402
from tests.fixtures import netlab as netlab_mod  # noqa: E402
from tests.fixtures import rabbit  # noqa: E402
from tests.fixtures import server as server_mod  # noqa: E402

BIN = pathlib.Path(sys.executable).parent
TENANT = 'demo'
EXTERNAL_CIDR, EXTERNAL_GATEWAY = '192.168.0.0/24', '192.168.0.1'
VLAN_RANGE = 'physnet1:100:199'
STATE_FILE = 'demo-state.json'     # what a --keep run left, for --cleanup


class Report:
    def __init__(self):
        self.started = time.monotonic()
        self.lines = []
        self.failures = 0

    def step(self, text):
        print('==> %s' % text, flush=True)

    def result(self, what, ok, detail=''):
        mark = 'ok  ' if ok else 'FAIL'
        self.failures += 0 if ok else 1
        line = '[%s] %s%s' % (mark, what, (': ' + detail) if detail else '')
        self.lines.append(line)
        print('    ' + line, flush=True)

    def print(self):
        print('\n' + '=' * 72)
        print('netmgr demo report (%.1f s)' % (time.monotonic() - self.started))
        print('=' * 72)
        for line in self.lines:
            print(line)
        print('=' * 72)
        print('%s' % ('ALL CHECKS PASSED' if not self.failures
                      else '%d CHECK(S) FAILED' % self.failures))


class DemoError(Exception):
    pass


def timed(fn, *args, **kwargs):
    start = time.monotonic()
    value = fn(*args, **kwargs)
    return value, time.monotonic() - start


class Demo:
    def __init__(self, workdir, keep, report):
        self.workdir = pathlib.Path(workdir)
        self.keep = keep
        self.report = report
        self.lab = netlab_mod.NetLab(prefix='dm' + secrets.token_hex(2))
        self.host = self.lab.prefix + '-host'
        self.exchange = 'netmgr-demo-' + self.lab.prefix
        self.rpc = {'rpc_enabled': True, 'transport_url': rabbit.TRANSPORT_URL,
                    'control_exchange': self.exchange}
        self.agents = agent_procs.AgentFactory(self.workdir / 'agents')
        self.server = None
        self.instances = []
        self.vms = {}
        self.resource_ids = set()

    # ---- the host: server, bridges, agents ---------------------------------------------------

    def start_services(self):
        self.report.step('starting netmgr-server (SQLite, RabbitMQ exchange %s)'
                         % self.exchange)
        self.server = server_mod.start_server(
            self.workdir / 'server', api_workers=1, **self.rpc,
            sections={'l2': {'tenant_network_types': 'vlan',
                             'network_vlan_ranges': VLAN_RANGE,
                             'flat_networks': 'public'}})
        self.admin = self.server.client().as_tenant('admin', roles='admin')
        self.api = self.server.client().as_tenant(TENANT)
        self.int_br = self.lab.bridge()
        self.phys_br = self.lab.bridge()
        self.ext_br = self.lab.bridge()
        self.report.step('starting the OVS agent, DHCP and L3 helpers on host %s' % self.host)
        ovs_sections = {'integration_bridge': self.int_br.name, 'datapath_type': 'netdev',
                        'bridge_mappings': 'physnet1:%s,public:%s' % (self.phys_br.name,
                                                                      self.ext_br.name)}
        # dnsmasq stays root: it reads its files under the work directory, which may sit
        # in a private (0700) temporary directory.
        common = {'OVS': ovs_sections, 'AGENT': {'report_interval': 2},
                  'DHCP': {'dnsmasq_user': 'root'}}
        for binary in ('netmgr-ovs-agent', 'netmgr-dhcp-agent', 'netmgr-l3-agent'):
            self.agents.add(agent_procs.AgentProcess(
                self.workdir / 'agents', self.host, self.rpc, common, binary=BIN / binary,
                options={'state_path': self.workdir / 'state'}))
        agent_procs.wait_for(lambda: len(self.admin.list('agents', {'host': self.host})) == 3,
                             timeout=60, message='three agents reporting')
        agents = self.admin.list('agents', {'host': self.host})
        self.report.result('agents alive', all(a['alive'] for a in agents),
                           ', '.join(sorted(a['agent_type'] for a in agents)))
        self.outside = self.lab.namespace()
        self.lab.veth_into(self.outside, self.ext_br,
                           address='%s/24' % EXTERNAL_GATEWAY)

    # ---- the seed scenario -----------------------------------------------------------------

    def seed(self):
        self.report.step('seed scenario: net1, net2, net-ext, routerA, a floating IP')
        api, admin = self.api, self.admin
        self.net1 = api.create('network', name='net1')
        self.subnet1 = api.create('subnet', name='subnet1', network_id=self.net1['id'],
                                  ip_version=4, cidr='10.0.0.0/24')
        self.net2 = api.create('network', name='net2')
        self.subnet2 = api.create('subnet', name='subnet2', network_id=self.net2['id'],
                                  ip_version=4, cidr='10.0.1.0/24')
        self.ext = admin.create('network', name='net-ext', **{
            'router:external': True, 'provider:network_type': 'flat',
            'provider:physical_network': 'public'})
        admin.create('subnet', name='subnet-ext', network_id=self.ext['id'], ip_version=4,
                     cidr=EXTERNAL_CIDR, gateway_ip=EXTERNAL_GATEWAY, enable_dhcp=False)
        self.router = api.create('router', name='routerA',
                                 external_gateway_info={'network_id': self.ext['id']})
        for subnet in (self.subnet1, self.subnet2):
            resp = api.put('/v2.0/routers/%s/add_router_interface' % self.router['id'],
                           {'subnet_id': subnet['id']})
            assert resp.status == 200, resp
        gateway_ip = api.show('router', self.router['id'])['external_gateway_info'][
            'external_fixed_ips'][0]['ip_address']
        self.report.result('routerA', True, 'gateway %s on net-ext, interfaces 10.0.0.1, '
                           '10.0.1.1' % gateway_ip)
        self.gateway_ip = gateway_ip

    # ---- instances -------------------------------------------------------------------------

    def write_compute_config(self):
        """netmgr-compute reads the server's file (database, RPC) and this one (its host,
        bridge and instance names)."""
        lines = ['[DEFAULT]', 'host = %s' % self.host, '',
                 '[compute]', 'integration_bridge = %s' % self.int_br.name,
                 'namespace_prefix = %s-' % self.lab.prefix, 'project_id = %s' % TENANT,
                 'state_file = %s' % (self.workdir / 'compute.json')]
        self.compute_config = self.workdir / 'compute.conf'
        self.compute_config.write_text('\n'.join(lines) + '\n')

    def compute(self, *args):
        cmd = [str(BIN / 'netmgr-compute'), '--config-file', str(self.server.config),
               '--config-file', str(self.compute_config)]
        result = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=180)
        if result.returncode != 0:
            raise DemoError('netmgr-compute %s failed (%d): %s%s' % (
                ' '.join(args), result.returncode, result.stdout, result.stderr))
        return result.stdout

    def boot(self):
        self.write_compute_config()
        for name, net in (('vm1', self.net1), ('vm2', self.net2)):
            self.report.step('netmgr-compute boot --nic net-id=%s %s' % (net['id'], name))
            out, seconds = timed(self.compute, 'boot', '--nic', 'net-id=%s' % net['id'], name)
            self.instances.append(name)
            vif = json.loads(out)[0]
            port = self.api.show('port', vif['id'])
            namespace = '%s-%s' % (self.lab.prefix, name)
            got = instance_addresses(self.lab.executor, namespace)
            want = port['fixed_ips'][0]['ip_address']
            self.report.result('%s DHCP lease' % name, want in got,
                               '%s on %s, %.2f s from boot to lease (port %s)' % (
                                   ', '.join(got) or 'no address', net['name'], seconds,
                                   port['status']))
            self.vms[name] = {'ip': want, 'port': port, 'namespace': namespace}

    # ---- checks ----------------------------------------------------------------------------

    def ping(self, namespace, address, seconds=10):
        deadline = time.monotonic() + seconds
        start = time.monotonic()
        while time.monotonic() < deadline:
            try:
                self.lab.executor.execute(['ping', '-c1', '-W0.2', '-n', '-q', address],
                                          namespace=namespace)
                return time.monotonic() - start
            except Exception:  # not answered yet
                pass
        return None

    def check(self):
        vm1, vm2 = self.vms['vm1'], self.vms['vm2']
        self.report.step('ping vm1 (net1) -> vm2 (net2) through routerA')
        took = self.ping(vm1['namespace'], vm2['ip'])
        self.report.result('vm1 -> vm2 across the router', took is not None,
                           '%s -> %s' % (vm1['ip'], vm2['ip']))
        self.report.step('ping vm2 -> the outside host (SNAT to %s)' % self.gateway_ip)
        took = self.ping(vm2['namespace'], EXTERNAL_GATEWAY)
        self.report.result('vm2 -> outside %s (SNAT)' % EXTERNAL_GATEWAY, took is not None)
        self.report.step('floating IP for vm1, ping it from the outside host')
        start = time.monotonic()
        self.fip = self.api.create('floatingip', floating_network_id=self.ext['id'],
                                   port_id=vm1['port']['id'])
        took = self.ping(self.outside, self.fip['floating_ip_address'])
        self.report.result('outside -> floating IP %s -> vm1 %s (DNAT)' % (
            self.fip['floating_ip_address'], vm1['ip']), took is not None,
            '%.2f s from floating IP create to the first answered ping'
            % (time.monotonic() - start) if took is not None else '')
        self.api.put('/v2.0/floatingips/%s' % self.fip['id'],
                     {'floatingip': {'port_id': None}})
        gone = agent_procs.wait_for(
            lambda: self.ping(self.outside, self.fip['floating_ip_address'], 1) is None,
            timeout=15, message='floating IP disassociated')
        self.report.result('after disassociation the floating IP no longer answers', gone)

    # ---- cleanup ---------------------------------------------------------------------------

    def cleanup(self):
        self.report.step('cleaning up')
        steps = []
        if self.instances:
            steps.append(lambda: self.compute('delete', *self.instances))
        if self.server is not None:
            steps.append(self.delete_resources)
        steps += [self.agents.stop_all, lambda: self.server and self.server.stop(),
                  self.lab.cleanup, self.remove_leftovers]
        for step in steps:
            try:
                step()
            except Exception as exc:  # go on removing the rest; the report says what failed
                self.report.result('cleanup', False, '%s: %s' % (type(exc).__name__, exc))
        left = self.lab.leftovers() + [n for n in ip_lib.list_namespaces()
                                       if n.split('-', 1)[-1] in self.resource_ids]
        self.report.result('nothing left behind (namespaces, bridges, devices)', not left,
                           ', '.join(left))

    def delete_resources(self):
        api, admin = self.api, self.admin
        for fip in api.list('floatingips'):
            api.remove('floatingip', fip['id'])
        for router in api.list('routers'):
            self.resource_ids.add(router['id'])
            for port in api.list('ports', {'device_id': router['id'],
                                           'device_owner': 'network:router_interface'}):
                api.put('/v2.0/routers/%s/remove_router_interface' % router['id'],
                        {'port_id': port['id']})
            api.remove('router', router['id'])
        for network in admin.list('networks'):
            self.resource_ids.add(network['id'])
            admin.remove('network', network['id'])
        # The agents remove their namespaces when they hear of the deletes.
        agent_procs.wait_for(lambda: not [n for n in ip_lib.list_namespaces()
                                          if n.split('-', 1)[-1] in self.resource_ids],
                             timeout=30, message='qdhcp-/qrouter- namespaces removed')

    def remove_leftovers(self):
        """Anything of this demo still there after the agents stopped (a failed run)."""
        for name in ip_lib.list_namespaces():
            if name.startswith(self.lab.prefix) or (
                    name.split('-', 1)[-1] in self.resource_ids and
                    name.split('-', 1)[0] in ('qdhcp', 'qrouter')):
                ip_lib.delete_namespace(name)

    def keep_message(self):
        pids = [self.server.pid] + [a.pid for a in self.agents.agents]
        state = {'prefix': self.lab.prefix, 'pids': pids, 'port': self.server.port,
                 'server_config': str(self.server.config),
                 'compute_config': str(self.compute_config), 'instances': self.instances,
                 'bridges': self.lab.bridges, 'veths': self.lab.veths,
                 'namespaces': self.lab.namespaces}
        (self.workdir / STATE_FILE).write_text(json.dumps(state))
        print('\nLeft running (--keep): API http://127.0.0.1:%d/v2.0 (X-Project-Id: %s)'
              % (self.server.port, TENANT))
        print('  processes: %s; configs and logs in %s' % (
            ' '.join(str(p) for p in pids), self.workdir))
        print('  instances: ip netns exec %s-vm1 ping %s' % (self.lab.prefix,
                                                             self.vms['vm2']['ip']))
        print('  remove it all: .venv/bin/python tools/demo.py --cleanup --workdir %s'
              % self.workdir)

    @classmethod
    def resume(cls, workdir, report):
        """The demo a --keep run left in ``workdir``, ready for cleanup()."""
        state = json.loads((pathlib.Path(workdir) / STATE_FILE).read_text())
        demo = cls(workdir, False, report)
        demo.lab.prefix = state['prefix']
        demo.lab.bridges, demo.lab.veths = state['bridges'], state['veths']
        demo.lab.namespaces = state['namespaces']
        demo.server = KeptServer(state['pids'][0], state['port'], state['server_config'])
        demo.agents = KeptAgents(state['pids'][1:])
        demo.compute_config = pathlib.Path(state['compute_config'])
        demo.instances = state['instances']
        demo.admin = demo.server.client().as_tenant('admin', roles='admin')
        demo.api = demo.server.client().as_tenant(TENANT)
        return demo


class KeptServer:
    """The server a --keep run left running, known by its PID."""

    def __init__(self, pid, port, config):
        self.pid, self.port, self.config = pid, port, config

    def client(self):
        return server_mod.ApiClient('127.0.0.1', self.port)

    def stop(self):
        stop_pid(self.pid)


class KeptAgents:
    def __init__(self, pids):
        self.pids = pids

    def stop_all(self):
        for pid in self.pids:
            stop_pid(pid)


def stop_pid(pid, timeout=15):
    """SIGTERM, then SIGKILL after ``timeout``; a process already gone is fine."""
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            os.kill(pid, 0)
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def instance_addresses(executor, namespace):
    """IPv4 addresses inside an instance namespace (loopback aside)."""
    out = executor.execute(['ip', '-o', '-4', 'addr', 'show'], namespace=namespace)
    return [line.split()[3].split('/')[0] for line in out.splitlines()
            if ' lo ' not in line]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--keep', action='store_true',
                        help='leave the server, agents, instances and resources running')
    parser.add_argument('--workdir', help='where configs, logs and state go '
                                          '(default: a new temporary directory)')
    parser.add_argument('--cleanup', action='store_true',
                        help='remove what a --keep run left in --workdir')
    args = parser.parse_args(argv)
    if args.cleanup:
        if not args.workdir:
            parser.error('--cleanup needs the --workdir of the --keep run')
        report = Report()
        Demo.resume(args.workdir, report).cleanup()
        report.print()
        return 1 if report.failures else 0
    netmgr_dir = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix='netmgr-demo-'))
    netmgr_dir.mkdir(parents=True, exist_ok=True)
    report = Report()
    demo = Demo(netmgr_dir, args.keep, report)
    try:
        demo.start_services()
        demo.seed()
        demo.boot()
        demo.check()
    except Exception as exc:
        report.result('demo step', False, '%s: %s' % (type(exc).__name__, exc))
    finally:
        if args.keep and not report.failures:
            demo.keep_message()
        else:
            demo.cleanup()
    report.print()
    return 1 if report.failures else 0


if __name__ == '__main__':
    shutil.which('ovs-vsctl') or sys.exit('Open vSwitch is missing: run tools/setup.sh')
    sys.exit(main())
