"""netmgr's main job on three simulated hosts, each a network namespace running its own Open
vSwitch, joined by an underlay (tests/fixtures/ovs_hosts.py): a gateway host (OVS, DHCP and L3
agents) and two compute hosts (an OVS agent, netmgr-compute). The server (SQLite, a RabbitMQ
virtual host of its own) runs here; the agents run inside their hosts, RabbitMQ through a
relay. Tenant networks are vxlan (the default tenant_network_types): each OVS agent carries
them from its host's underlay address ([OVS] local_ip, [AGENT] tunnel_types). The external
network is flat on the gateway host's physical bridge, with an "outside" namespace on it.

The seed scenario through the API, vm1 booted by netmgr-compute on compute host 1 and vm2 on
compute host 2 with DHCP leases, pings across the router, SNAT, DNAT through a floating IP (none
after disassociation), a report with the seconds of each step, then cleanup by record (names
prefixed ``dm`` + 4 hex digits; processes by PID). ``--keep`` leaves it all running.

    .venv/bin/python tools/demo.py [--keep] [--workdir DIR]
    .venv/bin/python tools/demo.py --cleanup --workdir DIR
"""

import argparse
import json
import pathlib
import secrets
import sys
import tempfile
import time
import types
import warnings

warnings.filterwarnings('ignore', category=DeprecationWarning)
warnings.filterwarnings('ignore', message=r'(?s).*Eventlet is deprecated')

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from netmgr.agent.linux import ip_lib  # noqa: E402
from netmgr import constants  # noqa: E402
from netmgr import devnames  # noqa: E402
from tests.fixtures import agents as agents_mod  # noqa: E402
from tests.fixtures import compute as compute_mod  # noqa: E402
from tests.fixtures import gateway as gateway_mod  # noqa: E402
from tests.fixtures import netlab as netlab_mod  # noqa: E402
from tests.fixtures import ovs_hosts  # noqa: E402
from tests.fixtures import rabbit  # noqa: E402
from tests.fixtures import server as server_mod  # noqa: E402

TENANT = 'demo'
EXTERNAL_CIDR, EXTERNAL_GATEWAY = '192.168.0.0/24', '192.168.0.1'
EXTERNAL_PHYSNET = 'public'
TUNNEL_TYPES = ('vxlan',)
ROLES = {'gateway': 'gw', 'compute-1': 'c1', 'compute-2': 'c2'}    # role: host name suffix
VMS = (('vm1', 'compute-1', 'net1'), ('vm2', 'compute-2', 'net2'))
STATE_FILE = 'demo-state.json'     # what a --keep run left, for --cleanup
SETTLE = 60                        # seconds anything the agents do may take


class Report:
    """Results, and the seconds each step took (a step lasts until the next one starts)."""

    def __init__(self):
        self.started = time.monotonic()
        self.lines, self.steps, self.failures = [], [], 0
        self.current = None

    def step(self, text):
        self.end_step()
        self.current = (text, time.monotonic())
        print('==> %s' % text, flush=True)

    def end_step(self):
        if self.current:
            text, start = self.current
            self.steps.append((time.monotonic() - start, text))
            self.current = None

    def result(self, what, ok, detail=''):
        self.failures += 0 if ok else 1
        line = '[%s] %s%s' % ('ok  ' if ok else 'FAIL', what, (': ' + detail) if detail else '')
        self.lines.append(line)
        print('    ' + line, flush=True)

    def print(self):
        self.end_step()
        total = time.monotonic() - self.started
        rule = '=' * 78
        lines = (['', rule, 'netmgr demo report (%.1f s)' % total, rule] + self.lines +
                 ['-' * 78, 'seconds per step:'] + ['%8.2f  %s' % s for s in self.steps] +
                 ['%8.2f  total' % total, rule])
        lines.append('ALL CHECKS PASSED' if not self.failures
                     else '%d CHECK(S) FAILED' % self.failures)
        print('\n'.join(lines), flush=True)


class Demo:
    def __init__(self, workdir, report):
        self.workdir, self.report = pathlib.Path(workdir), report
        self.lab = self.server = self.vhost = self.gateway = None
        self.hosts, self.computes, self.vms = {}, {}, {}

    def connect_api(self):
        self.admin = self.server.client().as_tenant('admin', roles='admin')
        self.api = self.server.client().as_tenant(TENANT)

    # ---- server, hosts, agents -------------------------------------------------------------

    def start(self):
        self.report.step('a RabbitMQ virtual host and netmgr-server (SQLite)')
        self.vhost = rabbit.add_vhost('netmgr-demo-')
        self.rpc = rabbit.options_for(self.vhost)
        self.server = server_mod.start_server(self.workdir / 'server', api_workers=1,
                                              **self.rpc)
        self.connect_api()
        self.report.step('three hosts, each with its own Open vSwitch, on one underlay')
        self.lab = ovs_hosts.OvsHostLab(netlab_mod.NetLab(prefix='dm' + secrets.token_hex(2)))
        for role, suffix in ROLES.items():
            self.hosts[role] = self.lab.add_host(suffix)
            self.hosts[role].start_relay(process=True)      # outlives this process (--keep)
        self.report.result('hosts', True, ', '.join(
            '%s %s (underlay %s)' % (role, h.name, h.local_ip) for role, h in self.hosts.items()))
        self.report.step('agents: OVS on every host, DHCP and L3 on the gateway')
        for role in ('compute-1', 'compute-2'):
            self.lab.start_agents(self.hosts[role], self.rpc, kinds=('ovs',),
                                  physical_networks=(), tunnel_types=TUNNEL_TYPES,
                                  directory=self.workdir / role / 'agents')
        self.gateway = gateway_mod.GatewayOnOvsHost(
            self.lab, self.rpc, self.server, self.workdir / 'gateway',
            host=self.hosts['gateway'], physical_network=EXTERNAL_PHYSNET,
            tunnel_types=TUNNEL_TYPES).start()
        agents = agents_mod.wait_for(lambda: alive(self.admin.list('agents'), 5),
                                     timeout=SETTLE, message='five agents alive')
        for role, host in self.hosts.items():
            mine = [a for a in agents if a['host'] == host.name]
            ovs = [a['configurations'] for a in mine
                   if a['agent_type'] == constants.AGENT_TYPE_OVS]
            tunnels = [(c.get('tunnel_types'), c.get('tunneling_ip')) for c in ovs]
            self.report.result('%s agents alive, vxlan from %s' % (role, host.local_ip),
                               tunnels == [(list(TUNNEL_TYPES), host.local_ip)],
                               ', '.join(sorted(a['agent_type'] for a in mine)))
        self.outside = self.lab.connect(self.hosts['gateway'], self.gateway.phys_br,
                                        address=EXTERNAL_GATEWAY + '/24').namespace

    # ---- the seed scenario -----------------------------------------------------------------

    def seed(self):
        self.report.step('seed scenario: net1, net2, net-ext, routerA')
        api, self.nets, subnets = self.api, {}, []
        for number, cidr in ((1, '10.0.0.0/24'), (2, '10.0.1.0/24')):
            network = api.create('network', name='net%d' % number)
            subnets.append(api.create('subnet', name='subnet%d' % number, ip_version=4,
                                      network_id=network['id'], cidr=cidr))
            self.nets[network['name']] = self.admin.show('network', network['id'])
        self.ext, _ = gateway_mod.external_network(self.admin, EXTERNAL_CIDR, EXTERNAL_GATEWAY,
                                                   EXTERNAL_PHYSNET)
        self.router = gateway_mod.router_with(api, 'routerA', self.ext, subnets)
        self.gateway.network_ids += [n['id'] for n in self.nets.values()] + [self.ext['id']]
        self.gateway.router_ids.append(self.router['id'])
        self.gateway_ip = api.show('router', self.router['id'])['external_gateway_info'][
            'external_fixed_ips'][0]['ip_address']
        self.report.result('routerA', True, 'gateway %s on net-ext (flat, %s), interfaces '
                           '10.0.0.1, 10.0.1.1' % (self.gateway_ip, EXTERNAL_PHYSNET))
        kinds = {(n['provider:network_type'], n['mtu']) for n in self.nets.values()}
        self.report.result('net1 and net2 are vxlan, mtu 1450', kinds == {('vxlan', 1450)},
                           ', '.join('%s %s segment %s mtu %s' % (
                               name, n['provider:network_type'],
                               n['provider:segmentation_id'], n['mtu'])
                               for name, n in self.nets.items()))
        self.report.step('the gateway host serves DHCP on net1 and net2 and wires routerA')
        ready = agents_mod.seconds_until(
            lambda: all(self.gateway.dhcp_served(n['id']) for n in self.nets.values()) and
            gateway_mod.router_ports_active(self.admin, self.router['id']), SETTLE)
        self.report.result('DHCP and routerA ready on the gateway', ready is not None,
                           'in %.2f s' % ready if ready is not None else '')

    # ---- instances -------------------------------------------------------------------------

    def compute(self, role):
        """netmgr-compute as run on ``role``'s host (tests/fixtures/compute.py)."""
        if role not in self.computes:
            self.computes[role] = compute_mod.Compute.on_ovs_host(
                self.server, self.lab, self.hosts[role], self.workdir / 'compute',
                suffix=ROLES[role], network_manager=None, physical_network=None,
                fixed_range=None, flat_injected=None, compute={'project_id': TENANT})
        return self.computes[role]

    def boot(self):
        for name, role, network in VMS:
            host, net = self.hosts[role], self.nets[network]
            self.report.step('netmgr-compute on %s: boot --nic net-id=<%s> %s'
                             % (role, network, name))
            compute = self.compute(role)
            start = time.monotonic()
            info, done = compute.boot(name, 'net-id=%s' % net['id'])
            if info is None:
                raise AssertionError('netmgr-compute boot %s failed (%d): %s' % (
                    name, done.returncode, (done.stderr.strip().splitlines() or [''])[-1]))
            seconds, port = time.monotonic() - start, self.admin.show('port', info[0]['id'])
            namespace, want = compute.namespace(name), port['fixed_ips'][0]['ip_address']
            got = [a.split('/')[0] for a in compute_mod.inner_addresses(namespace)]
            self.report.result('%s DHCP lease' % name, want in got,
                               '%s on %s, %.2f s from boot to lease (port %s)' % (
                                   ', '.join(got) or 'no address', network, seconds,
                                   port['status']))
            self.vms[name] = {'ip': want, 'port': port, 'namespace': namespace, 'host': host,
                              'devname': info[0]['devname']}
        placed = {name: (vm['port']['binding:host_id'],
                         vm['devname'] in vm['host'].port_names(vm['host'].integration_bridge))
                  for name, vm in self.vms.items()}
        self.report.result(
            'vm1 and vm2 on different hosts',
            placed['vm1'][0] != placed['vm2'][0] and all(
                placed[name] == (self.vms[name]['host'].name, True) for name in placed),
            ', '.join('%s on %s (its tap on that host\'s br-int)' % (name, placed[name][0])
                      for name in sorted(placed)))

    # ---- checks ----------------------------------------------------------------------------

    def reaches(self, namespace, address, timeout=20):
        return agents_mod.seconds_until(lambda: compute_mod.ping(namespace, address), timeout)

    def check(self):
        vm1, vm2, netlab = self.vms['vm1'], self.vms['vm2'], self.lab.netlab
        self.report.step('ping vm1 (compute-1, net1) -> vm2 (compute-2, net2) through routerA')
        took = self.reaches(vm1['namespace'], vm2['ip'])
        port = devnames.tunnel_port_name('vxlan', self.hosts['gateway'].local_ip)
        missing = [role for role in ('compute-1', 'compute-2') if port not in
                   self.hosts[role].port_names(self.hosts[role].tunnel_bridge)]
        self.report.result('vm1 -> vm2 across the router', took is not None and not missing,
                           '%s -> %s in %s s, via the gateway host (tunnel port %s %s)' % (
                               vm1['ip'], vm2['ip'], '%.2f' % took if took else '-', port,
                               'missing on ' + ', '.join(missing) if missing
                               else 'on compute-1 and compute-2'))
        self.report.step('vm2 -> the outside host, which sees the router\'s address (SNAT)')
        seen = None
        if self.reaches(vm2['namespace'], EXTERNAL_GATEWAY) is not None:
            try:
                seen = gateway_mod.peer_seen_from(netlab, vm2['namespace'], self.outside,
                                                  EXTERNAL_GATEWAY)
            except Exception as exc:  # no TCP connection: the report says why
                seen = '%s: %s' % (type(exc).__name__, exc)
        self.report.result('vm2 -> outside %s (SNAT)' % EXTERNAL_GATEWAY,
                           seen == self.gateway_ip, 'the outside sees %s' % (seen or 'nothing'))
        self.report.step('a floating IP for vm1, reached from the outside host (DNAT)')
        start = time.monotonic()
        instance = types.SimpleNamespace(port=vm1['port'], ns=vm1['namespace'])
        try:
            fip = gateway_mod.floating_ip_for(netlab, self.api, self.ext, instance,
                                              self.outside, EXTERNAL_GATEWAY)
            address, detail = fip['floating_ip_address'], (
                '%.2f s from floating IP create to answered pings both ways, ACTIVE'
                % (time.monotonic() - start))
        except AssertionError as exc:
            fip = None
            address, detail = '?', 'AssertionError: %s' % exc
        self.report.result('outside -> floating IP %s -> vm1 %s (DNAT)' % (
            address, vm1['ip']), fip is not None, detail)
        if fip is None:
            return
        self.report.step('disassociate the floating IP')
        self.api.put('/v2.0/floatingips/%s' % fip['id'], {'floatingip': {'port_id': None}})
        gone = agents_mod.seconds_until(lambda: not netlab.ping(self.outside, address), 20)
        self.report.result('after disassociation the floating IP no longer answers',
                           gone is not None)

    # ---- cleanup ---------------------------------------------------------------------------

    def cleanup(self):
        self.report.step('cleaning up')
        steps = [lambda c=c: self.delete_instances(c) for c in self.computes.values()]
        if self.server is not None and self.gateway is not None:
            steps.append(lambda: self.gateway.delete_everything(self.admin))
        if self.lab is not None:
            steps.append(lambda: agents_mod.stop_agents(
                [a for host in self.lab.hosts for a in host.agents.values()]))
        steps += [self.gateway.cleanup] if self.gateway else []
        steps += [c.cleanup for c in self.computes.values()]
        steps += [self.server.stop] if self.server else []
        steps += [self.lab.cleanup] if self.lab else []
        steps += [lambda: rabbit.delete_vhost(self.vhost)] if self.vhost else []
        for step in steps:
            try:
                step()
            except Exception as exc:  # go on removing the rest; the report says what failed
                self.report.result('cleanup', False, '%s: %s' % (type(exc).__name__, exc))
        left = (self.lab.leftovers() if self.lab else []) + (
            self.gateway.agent_namespaces() if self.gateway else [])
        self.report.result('nothing left behind (processes, namespaces, devices, files)',
                           not left, ', '.join(left))

    def delete_instances(self, compute):
        for name in compute.names:
            if not ip_lib.namespace_exists(compute.namespace(name)):
                continue        # its boot failed, and removed what it made
            done = compute.run('delete', name)
            if done.returncode != 0:
                raise AssertionError('netmgr-compute delete %s: %s' % (
                    name, (done.stderr.strip().splitlines() or [''])[-1]))

    # ---- left running (--keep) and removed later (--cleanup) -------------------------------

    def keep(self):
        state = {'lab': self.lab.record(), 'roles': list(self.hosts), 'vhost': self.vhost,
                 'server': [self.server.pid, self.server.port, str(self.server.config)]}
        (self.workdir / STATE_FILE).write_text(json.dumps(state))
        print('\nLeft running (--keep): API http://127.0.0.1:%d/v2.0 (X-Project-Id: %s), '
              'netmgr-server pid %d' % (self.server.port, TENANT, self.server.pid))
        for role, h in self.hosts.items():
            print('  %s %s: ip netns exec %s ...; pids: %s, relay %d (and its ovsdb-server, '
                  'ovs-vswitchd)' % (role, h.name, h.namespace, ', '.join(
                      '%s agent %d' % item for item in sorted(
                          (kind, a.pid) for kind, a in h.agents.items())), h.relay.pid))
        print('  configs and logs in %s' % self.workdir)
        print('  instances: ip netns exec %s ping %s' % (self.vms['vm1']['namespace'],
                                                         self.vms['vm2']['ip']))
        print('  remove it all: .venv/bin/python tools/demo.py --cleanup --workdir %s'
              % self.workdir)

    @classmethod
    def resume(cls, workdir, report):
        """The demo a --keep run left in ``workdir``, ready for cleanup()."""
        state = json.loads((pathlib.Path(workdir) / STATE_FILE).read_text())
        demo = cls(workdir, report)
        demo.lab = ovs_hosts.OvsHostLab.resume(state['lab'])
        demo.hosts = dict(zip(state['roles'], demo.lab.hosts))
        demo.vhost, demo.rpc = state['vhost'], rabbit.options_for(state['vhost'])
        demo.server = server_mod.KeptServer(*state['server'])
        demo.connect_api()
        demo.gateway = gateway_mod.GatewayOnOvsHost(
            demo.lab, demo.rpc, demo.server, demo.workdir / 'gateway',
            host=demo.hosts['gateway'], physical_network=EXTERNAL_PHYSNET)
        for _name, role, _network in VMS:
            demo.compute(role).names = demo.compute(role).listed()
        return demo


def alive(agents, count):
    """``agents`` if there are ``count`` of them, all alive."""
    return agents if len(agents) == count and all(a['alive'] for a in agents) else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--keep', action='store_true',
                        help='leave the hosts, server, agents, instances and resources running')
    parser.add_argument('--workdir', help='where configs, logs and state go '
                                          '(default: a new temporary directory)')
    parser.add_argument('--cleanup', action='store_true',
                        help='remove what a --keep run left in --workdir')
    args = parser.parse_args(argv)
    report = Report()
    if args.cleanup:
        if not args.workdir:
            parser.error('--cleanup needs the --workdir of the --keep run')
        report.step('reading what the --keep run left in %s' % args.workdir)
        Demo.resume(args.workdir, report).cleanup()
        report.print()
        return 1 if report.failures else 0
    workdir = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix='netmgr-demo-'))
    workdir.mkdir(parents=True, exist_ok=True)
    demo = Demo(workdir, report)
    try:
        demo.start()
        demo.seed()
        demo.boot()
        demo.check()
    except Exception as exc:
        report.result('demo step', False, '%s: %s' % (type(exc).__name__, exc))
    finally:
        if args.keep and not report.failures:
            report.end_step()
            demo.keep()
        else:
            demo.cleanup()
    report.print()
    return 1 if report.failures else 0


if __name__ == '__main__':
    missing = ovs_hosts.missing_programs()
    if missing:
        sys.exit('Open vSwitch is missing (%s): run tools/setup.sh' % ', '.join(missing))
    sys.exit(main())
