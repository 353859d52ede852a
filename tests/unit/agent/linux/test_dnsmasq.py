"""dnsmasq's files and command line rendered from subnet and port dicts, and the process
manager on real (harmless) processes."""

import os
import subprocess
import sys
import time

import pytest

from netmgr.agent.linux import dnsmasq
from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import process


def _subnet(sid='s1', cidr='10.0.0.0/24', gateway='10.0.0.1', **extra):
    subnet = {'id': sid, 'cidr': cidr, 'ip_version': 6 if ':' in cidr else 4,
              'gateway_ip': gateway, 'enable_dhcp': True, 'dns_nameservers': [],
              'host_routes': [], 'ipv6_address_mode': None}
    subnet.update(extra)
    return subnet


def _port(pid, mac, *fixed):
    return {'id': pid, 'mac_address': mac,
            'fixed_ips': [{'subnet_id': s, 'ip_address': ip} for s, ip in fixed]}


def test_hosts_file_has_one_line_per_address_on_served_subnets():
    subnets = [_subnet('s1'), _subnet('s2', '10.1.0.0/24', enable_dhcp=False),
               _subnet('s6', 'fd00::/64', 'fd00::1', ipv6_address_mode='dhcpv6-stateful'),
               _subnet('slaac', 'fd01::/64', 'fd01::1', ipv6_address_mode='slaac')]
    ports = [_port('p2', 'fa:16:3e:00:00:02', ('s1', '10.0.0.12'), ('s2', '10.1.0.5'),
                   ('s6', 'fd00::c'), ('slaac', 'fd01::f816:3eff:fe00:2')),
             _port('p1', 'fa:16:3e:00:00:01', ('s1', '10.0.0.11'))]
    assert dnsmasq.render_hosts(ports, subnets, domain='openstacklocal') == (
        'fa:16:3e:00:00:01,host-10-0-0-11.openstacklocal,10.0.0.11\n'
        'fa:16:3e:00:00:02,host-10-0-0-12.openstacklocal,10.0.0.12\n'
        'fa:16:3e:00:00:02,host-fd00--c.openstacklocal,[fd00::c]\n')
    assert dnsmasq.render_hosts(ports[1:], subnets) == (
        'fa:16:3e:00:00:01,host-10-0-0-11,10.0.0.11\n')


def test_opts_router_dns_and_classless_routes_per_subnet():
    subnets = [
        _subnet('a', dns_nameservers=['8.8.8.8', '8.8.4.4'],
                host_routes=[{'destination': '192.168.0.0/16', 'nexthop': '10.0.0.254'}]),
        _subnet('b', '10.1.0.0/24', gateway=None),
        _subnet('c', 'fd00::/64', 'fd00::1', ipv6_address_mode='dhcpv6-stateful',
                dns_nameservers=['2001:db8::53'])]
    assert dnsmasq.render_opts(subnets, dns_servers=['1.1.1.1']) == (
        'tag:subnet-a,option:dns-server,8.8.8.8,8.8.4.4\n'
        'tag:subnet-a,option:classless-static-route,'
        '192.168.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1\n'
        'tag:subnet-a,249,192.168.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1\n'
        'tag:subnet-a,option:router,10.0.0.1\n'
        'tag:subnet-b,option:dns-server,1.1.1.1\n'
        'tag:subnet-b,option:router\n'
        'tag:subnet-c,option6:dns-server,[2001:db8::53]\n')


def test_opts_leave_out_subnets_without_dhcp_and_add_mtu():
    subnets = [_subnet('a'), _subnet('off', '10.1.0.0/24', enable_dhcp=False)]
    assert dnsmasq.render_opts(subnets, mtu=1450) == (
        'tag:subnet-a,option:router,10.0.0.1\n'
        'tag:subnet-a,option:mtu,1450\n')


def test_command_line_static_ranges_lease_time_and_files(tmp_path):
    files = dnsmasq.Files(str(tmp_path))
    subnets = [_subnet('a'), _subnet('b', '10.2.0.0/16'),
               _subnet('c', 'fd00::/64', 'fd00::1', ipv6_address_mode='dhcpv6-stateful'),
               _subnet('off', '10.1.0.0/24', enable_dhcp=False)]
    argv = dnsmasq.command_line('dnsmasq', 'tap1234', files, subnets, 600,
                                domain='example.org', user='root')
    assert argv[0] == 'dnsmasq'
    assert '--conf-file=/dev/null' in argv and '--port=0' in argv
    assert '--interface=tap1234' in argv and '--bind-interfaces' in argv
    assert '--pid-file=%s' % files.pid in argv
    assert '--dhcp-hostsfile=%s' % files.hosts in argv
    assert '--dhcp-optsfile=%s' % files.opts in argv
    assert [a for a in argv if a.startswith('--dhcp-range=')] == [
        '--dhcp-range=set:subnet-a,10.0.0.0,static,255.255.255.0,600s',
        '--dhcp-range=set:subnet-b,10.2.0.0,static,255.255.0.0,600s',
        '--dhcp-range=set:subnet-c,fd00::,static,64,600s']
    assert '--dhcp-lease-max=%d' % (256 + 65536) in argv
    assert '--domain=example.org' in argv and '--user=root' in argv
    infinite = dnsmasq.command_line('dnsmasq', 'tap1234', files, subnets[:1], -1)
    assert '--dhcp-range=set:subnet-a,10.0.0.0,static,255.255.255.0,infinite' in infinite


def test_replace_file_reports_whether_the_content_changed(tmp_path):
    path = str(tmp_path / 'host')
    assert dnsmasq.replace_file(path, 'a\n')
    assert not dnsmasq.replace_file(path, 'a\n')
    assert dnsmasq.replace_file(path, 'b\n')
    with open(path) as f:
        assert f.read() == 'b\n'
    assert os.listdir(tmp_path) == ['host']


# ---- the process manager on real processes ------------------------------------------------

class SpawningExecutor(agent_executor.Executor):
    """Runs ``kill`` for real; a spawn starts a sleeping Python with the cmd as arguments
    (so the uuid is in its command line) and writes its pid file."""

    def __init__(self, pid_file):
        super().__init__()
        self.pid_file = pid_file
        self.children = []
        self.commands = []

    def execute(self, cmd, namespace=None, **kwargs):
        self.commands.append(list(cmd))
        if cmd[0] == 'kill':
            return super().execute(cmd, **kwargs)
        child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'] +
                                 list(cmd))
        self.children.append(child)
        deadline = time.monotonic() + 10
        while not process.read_cmdline(child.pid) and time.monotonic() < deadline:
            time.sleep(0.005)   # like a daemon, write the pid file once really running
        with open(self.pid_file, 'w') as f:
            f.write('%d\n' % child.pid)
        return ''


@pytest.fixture
def spawner(tmp_path):
    executor = SpawningExecutor(str(tmp_path / 'pid'))
    yield executor
    for child in executor.children:
        if child.poll() is None:
            child.kill()
        child.wait()


def test_process_manager_spawn_reload_stop(spawner):
    manager = process.ProcessManager(spawner, 'net-1234', spawner.pid_file)
    assert not manager.active() and manager.pid is None
    manager.spawn(['fake-daemon', '--pid-file=/x/net-1234/pid'])
    assert manager.active()
    assert manager.cmdline()[-2:] == ['fake-daemon', '--pid-file=/x/net-1234/pid']
    assert manager.reload()
    assert spawner.commands[-1] == ['kill', '-HUP', str(spawner.children[0].pid)]
    spawner.children[0].wait(10)            # SIGHUP ends the stand-in: it was delivered
    assert not manager.active()
    assert not manager.reload()             # nothing signalled once it is gone
    manager.spawn(['fake-daemon', 'net-1234'])
    manager.stop()
    assert spawner.children[1].wait(10) is not None
    assert not os.path.exists(spawner.pid_file)


def test_process_manager_ignores_a_pid_that_is_not_its_process(spawner):
    other = process.ProcessManager(spawner, 'net-other', spawner.pid_file)
    other.spawn(['fake-daemon', 'net-other'])
    manager = process.ProcessManager(spawner, 'net-1234', spawner.pid_file)
    assert not manager.active()             # a live process, but not ours
    assert not manager.reload()
    manager.stop()
    assert spawner.children[0].poll() is None


def test_monitor_respawns_only_dead_processes(spawner):
    manager = process.ProcessManager(spawner, 'net-1234', spawner.pid_file)
    monitor = process.ProcessMonitor()
    monitor.register('net-1234', manager,
                     lambda: manager.spawn(['fake-daemon', 'net-1234']))
    assert monitor.check() == ['net-1234']
    assert monitor.check() == []
    spawner.children[0].kill()
    spawner.children[0].wait()
    assert monitor.check() == ['net-1234'] and manager.active()
    monitor.unregister('net-1234')
    spawner.children[1].kill()
    spawner.children[1].wait()
    assert monitor.check() == []
