"""The DHCP agent's decisions with a fake server, a fake interface driver and fake dnsmasq
processes (the files are written for real): what a sync, each notification and a failure do."""

import os

import pytest

from netmgr.agent.dhcp import agent as dhcp_agent
from netmgr.agent.dhcp import device as dhcp_device
from netmgr.agent.linux import dnsmasq
from netmgr.agent.linux import ip_lib
from netmgr import devnames
from netmgr import exceptions

NET = 'net-1'
HOST = 'gw-1'


def _port(pid, ip, subnet='sub-1', mac=None, owner='compute:nova', network=NET):
    return {'id': pid, 'network_id': network, 'device_owner': owner,
            'mac_address': mac or 'fa:16:3e:00:00:%02x' % (int(ip.rsplit('.', 1)[1]) % 256),
            'fixed_ips': [{'subnet_id': subnet, 'ip_address': ip}]}


def _subnet(sid='sub-1', network=NET, cidr='10.0.0.0/24', enable_dhcp=True):
    return {'id': sid, 'network_id': network, 'cidr': cidr, 'ip_version': 4,
            'gateway_ip': cidr.rsplit('.', 1)[0] + '.1', 'enable_dhcp': enable_dhcp,
            'dns_nameservers': [], 'host_routes': [], 'ipv6_address_mode': None}


def _info(network=NET, subnets=None, ports=()):
    return {'id': network, 'name': network, 'admin_state_up': True,
            'subnets': subnets if subnets is not None else [_subnet(network=network)],
            'ports': list(ports)}


class FakeServer:
    """The server's DHCP RPC: network infos by id; counts every call."""

    def __init__(self, *infos):
        self.infos = {i['id']: i for i in infos}
        self.calls = []
        self.fail = False
        self.dhcp_ports = {}

    def _call(self, name, *args):
        self.calls.append((name,) + args)
        if self.fail:
            raise exceptions.AgentError(reason='server away')

    def get_active_networks_info(self, context):
        self._call('get_active_networks_info')
        return [i for i in self.infos.values()
                if any(s['enable_dhcp'] for s in i['subnets'])]

    def get_network_info(self, context, network_id):
        self._call('get_network_info', network_id)
        return self.infos.get(network_id)

    def get_dhcp_port(self, context, network_id, device_id):
        self._call('get_dhcp_port', network_id, device_id)
        info = self.infos.get(network_id)
        subnets = [s for s in info['subnets'] if s['enable_dhcp']] if info else []
        if not subnets:
            return None
        port = self.dhcp_ports.get(network_id)
        if port is None:
            port = _port('dhcp-port-' + network_id, subnets[0]['cidr'].rsplit('.', 1)[0] +
                         '.2', subnets[0]['id'], 'fa:16:3e:dd:00:02', 'network:dhcp',
                         network_id)
            port['device_id'] = device_id
            self.dhcp_ports[network_id] = port
            info['ports'].append(port)
        return port

    def release_dhcp_port(self, context, network_id, device_id):
        self._call('release_dhcp_port', network_id, device_id)
        return self.dhcp_ports.pop(network_id, None) is not None


class FakeDriver:
    """Plugs into ``namespaces`` ({name: [device]}), which the fake ip_lib shows."""
    integration_bridge = 'br-int'

    def __init__(self, namespaces):
        self.namespaces = namespaces
        self.plugged, self.addresses, self.unplugged = {}, {}, []
        self.bridge_ports = []
        self.ovsdb = self

    def bridge(self, name):
        assert name == self.integration_bridge
        return self

    def port_names(self):
        return list(self.bridge_ports)

    def plug(self, network_id, port_id, device_name, mac_address, namespace, bridge=None,
             mtu=None):
        self.plugged[device_name] = (namespace, port_id, mac_address)
        devices = self.namespaces.setdefault(namespace, [])
        if device_name not in devices:
            devices.append(device_name)

    def init_l3(self, device_name, cidrs, namespace):
        self.addresses[device_name] = list(cidrs)

    def unplug(self, device_name, namespace, bridge=None):
        self.unplugged.append((device_name, namespace))
        self.plugged.pop(device_name, None)
        if device_name in self.namespaces.get(namespace, ()):
            self.namespaces[namespace].remove(device_name)


class FakeProcess:
    def __init__(self):
        self.cmd = None
        self.spawns = self.reloads = self.stops = 0
        self.pid_file = '/fake/pid'
        self.pid = 4242

    def active(self):
        return self.cmd is not None

    def cmdline(self):
        return list(self.cmd or ())

    def spawn(self, cmd):
        self.cmd = list(cmd)
        self.spawns += 1

    def reload(self):
        if self.cmd is None:
            return False
        self.reloads += 1
        return True

    def stop(self):
        if self.cmd is not None:
            self.stops += 1
        self.cmd = None


class RecordingExecutor:
    def __init__(self):
        self.commands = []

    def execute(self, cmd, namespace=None, **kwargs):
        self.commands.append((list(cmd), namespace))
        return ''


@pytest.fixture
def namespaces(monkeypatch):
    """The host's namespaces as the agent sees them through ip_lib: {name: [veth]}."""
    found = {}
    monkeypatch.setattr(ip_lib, 'namespace_exists', lambda name: name in found)
    monkeypatch.setattr(ip_lib, 'list_namespaces', lambda: sorted(found))
    monkeypatch.setattr(ip_lib, 'list_links', lambda ns=None: [
        {'name': d, 'kind': 'veth'} for d in found[ns]])
    monkeypatch.setattr(ip_lib, 'delete_namespace', lambda name: found.pop(name))
    return found


class Harness:
    def __init__(self, tmp_path, server, namespaces):
        self.server = server
        self.namespaces = namespaces
        self.driver = FakeDriver(namespaces)
        self.executor = RecordingExecutor()
        self.processes = {}
        self.agent = dhcp_agent.DhcpAgent(HOST, server, self.driver, self.executor,
                                          str(tmp_path), dnsmasq_options={'domain': None},
                                          resync_interval=0.0, process_check_interval=3600)
        self.agent.dnsmasq_for = self._dnsmasq_for
        self.dhcp_dir = tmp_path / 'dhcp'

    def _dnsmasq_for(self, network_id):
        server = dnsmasq.Dnsmasq(self.executor, network_id, str(self.dhcp_dir / network_id),
                                 devnames.dhcp_namespace(network_id))
        server.process = self.processes.setdefault(network_id, FakeProcess())
        return server

    def hosts(self, network_id=NET):
        with open(self.dhcp_dir / network_id / 'host') as f:
            return f.read().splitlines()

    def process(self, network_id=NET):
        return self.processes.get(network_id) or FakeProcess()

    def notify(self, event, **payload):
        self.agent.notify(event, payload)
        self.agent.run_once()


@pytest.fixture
def harness(tmp_path, namespaces):
    server = FakeServer(_info(ports=[_port('vm-1', '10.0.0.5')]),
                        _info('net-nodhcp', [_subnet('sub-x', 'net-nodhcp', '10.9.0.0/24',
                                                     enable_dhcp=False)]))
    harness = Harness(tmp_path, server, namespaces)
    harness.agent.run_once()
    return harness


def test_sync_serves_each_dhcp_network_once(harness):
    agent, server = harness.agent, harness.server
    assert agent.cache.ids() == {NET}
    assert harness.hosts() == ['fa:16:3e:dd:00:02,host-10-0-0-2,10.0.0.2',
                               'fa:16:3e:00:00:05,host-10-0-0-5,10.0.0.5']
    assert harness.namespaces == {'qdhcp-' + NET: ['tapdhcp-port-n']}
    assert harness.process().spawns == 1
    cmd = harness.process().cmd
    assert '--interface=tapdhcp-port-n' in cmd
    assert '--dhcp-range=set:subnet-sub-1,10.0.0.0,static,255.255.255.0,86400s' in cmd
    assert harness.driver.plugged['tapdhcp-port-n'][0] == 'qdhcp-' + NET
    assert harness.driver.addresses['tapdhcp-port-n'] == ['10.0.0.2/24']
    device_id = server.dhcp_ports[NET]['device_id']
    assert device_id == 'dhcp%s-%s' % (dhcp_device.uuid.uuid5(dhcp_device.uuid.NAMESPACE_DNS,
                                                              HOST), NET)
    assert agent.state()['configurations']['networks'] == 1
    assert agent.state()['configurations']['ports'] == 2
    assert agent.state()['agent_type'] == 'DHCP agent'


def test_port_events_rewrite_the_hosts_file_and_reload_without_asking_the_server(harness):
    server, process = harness.server, harness.process()
    calls = len(server.calls)
    harness.notify('port_create_end', port=_port('vm-2', '10.0.0.6'))
    assert 'fa:16:3e:00:00:06,host-10-0-0-6,10.0.0.6' in harness.hosts()
    assert (process.spawns, process.reloads) == (1, 1)

    moved = _port('vm-2', '10.0.0.7', mac='fa:16:3e:00:00:06')
    harness.notify('port_update_end', port=moved)
    assert 'fa:16:3e:00:00:06,host-10-0-0-7,10.0.0.7' in harness.hosts()
    assert 'fa:16:3e:00:00:06,host-10-0-0-6,10.0.0.6' not in harness.hosts()
    assert process.reloads == 2
    assert (['dhcp_release', 'tapdhcp-port-n', '10.0.0.6', 'fa:16:3e:00:00:06'],
            'qdhcp-' + NET) in harness.executor.commands

    harness.notify('port_update_end', port=dict(moved, status='ACTIVE', name='renamed'))
    assert process.reloads == 2                 # nothing the hosts file shows changed

    harness.notify('port_delete_end', port_id='vm-2', network_id=NET)
    assert not any('10.0.0.7' in line for line in harness.hosts())
    assert process.reloads == 3
    assert (['dhcp_release', 'tapdhcp-port-n', '10.0.0.7', 'fa:16:3e:00:00:06'],
            'qdhcp-' + NET) in harness.executor.commands
    assert len(server.calls) == calls


def test_events_of_one_pass_write_the_network_once(harness):
    process = harness.process()
    for n in range(10, 20):
        harness.agent.notify('port_create_end', {'port': _port('vm-%d' % n, '10.0.0.%d' % n)})
    harness.agent.run_once()
    assert len(harness.hosts()) == 12
    assert process.reloads == 1


def test_ports_of_networks_not_served_are_ignored(harness):
    harness.notify('port_create_end', port=_port('vm-9', '10.9.0.5', 'sub-x',
                                                 network='net-nodhcp'))
    assert not (harness.dhcp_dir / 'net-nodhcp').exists()
    assert harness.agent.cache.ids() == {NET}


def test_subnet_dhcp_off_stops_dnsmasq_and_releases_the_port(harness):
    server, process = harness.server, harness.process()
    server.infos[NET]['subnets'][0]['enable_dhcp'] = False
    harness.notify('subnet_update_end', subnet=server.infos[NET]['subnets'][0])
    assert process.stops == 1 and not process.active()
    assert NET not in server.dhcp_ports
    assert ('release_dhcp_port', NET, dhcp_device.device_id(HOST, NET)) in server.calls
    assert harness.driver.unplugged == [('tapdhcp-port-n', 'qdhcp-' + NET)]
    assert harness.namespaces == {}
    assert not (harness.dhcp_dir / NET).exists()
    assert harness.agent.cache.ids() == set()


def test_new_dhcp_subnet_on_a_network_starts_serving_it(harness):
    server = harness.server
    server.infos['net-nodhcp']['subnets'][0]['enable_dhcp'] = True
    harness.notify('subnet_update_end', subnet=server.infos['net-nodhcp']['subnets'][0])
    assert harness.process('net-nodhcp').spawns == 1
    assert harness.agent.cache.ids() == {NET, 'net-nodhcp'}


def test_a_second_subnet_restarts_dnsmasq_with_its_range(harness):
    server, process = harness.server, harness.process()
    second = _subnet('sub-2', cidr='10.1.0.0/24')
    server.infos[NET]['subnets'].append(second)
    harness.notify('subnet_create_end', subnet=second)
    assert process.spawns == 2 and process.stops == 1
    assert '--dhcp-range=set:subnet-sub-2,10.1.0.0,static,255.255.255.0,86400s' in process.cmd


def test_network_delete_removes_everything_without_a_server_call(harness):
    server, process = harness.server, harness.process()
    calls = len(server.calls)
    del server.infos[NET]
    harness.notify('network_delete_end', network_id=NET)
    assert not process.active()
    assert not (harness.dhcp_dir / NET).exists()
    assert harness.agent.cache.ids() == set()
    assert len(server.calls) == calls
    assert harness.namespaces == {}
    assert harness.agent.monitor.check() == []


def test_deleting_the_dhcp_port_gets_a_new_one(harness):
    server = harness.server
    old = server.dhcp_ports.pop(NET)
    server.infos[NET]['ports'].remove(old)
    harness.notify('port_delete_end', port_id=old['id'], network_id=NET)
    assert ('get_network_info', NET) in server.calls
    assert NET in server.dhcp_ports


def test_a_failure_sets_needs_resync_and_the_next_pass_recovers(harness):
    server = harness.server
    server.fail = True
    server.infos['net-nodhcp']['subnets'][0]['enable_dhcp'] = True
    harness.notify('subnet_update_end', subnet=server.infos['net-nodhcp']['subnets'][0])
    assert harness.agent.needs_resync
    server.fail = False
    harness.agent.run_once()
    assert not harness.agent.needs_resync
    assert harness.agent.cache.ids() == {NET, 'net-nodhcp'}
    assert harness.process().spawns == 1        # the running one was reloaded, not restarted


def test_a_dead_dnsmasq_is_respawned(harness):
    process = harness.process()
    process.cmd = None
    assert harness.agent.monitor.check() == [NET]
    assert process.spawns == 2


def test_a_restarted_agent_adopts_a_running_dnsmasq_and_removes_stale_networks(
        tmp_path, namespaces):
    server = FakeServer(_info(ports=[_port('vm-1', '10.0.0.5')]))
    first = Harness(tmp_path, server, namespaces)
    first.agent.run_once()
    stale = tmp_path / 'dhcp' / 'net-gone'
    stale.mkdir()
    (stale / 'host').write_text('')

    namespaces['qdhcp-net-gone'] = ['tapold']
    second = Harness(tmp_path, server, namespaces)
    second.processes = first.processes          # the processes outlived the agent
    gone = second.processes.setdefault('net-gone', FakeProcess())
    gone.spawn(['dnsmasq', 'net-gone'])
    second.agent.run_once()
    assert first.process().spawns == 1 and first.process().reloads == 1
    assert not gone.active() and not stale.exists()
    assert namespaces == {'qdhcp-' + NET: ['tapdhcp-port-n']}
    assert ('release_dhcp_port', 'net-gone', dhcp_device.device_id(HOST, 'net-gone')) \
        in server.calls
    assert os.listdir(tmp_path / 'dhcp') == [NET]
    assert [c for c in server.calls if c[0] == 'get_dhcp_port'] == [
        ('get_dhcp_port', NET, dhcp_device.device_id(HOST, NET))] * 2


def test_only_namespaces_of_this_agent_are_removed_at_start(tmp_path, namespaces):
    namespaces['qdhcp-foreign'] = ['tapforeign']        # another agent's bridge
    namespaces['qdhcp-unrecorded'] = ['tapours']        # its peer is on our bridge
    namespaces['unrelated'] = ['tapours2']
    harness = Harness(tmp_path, FakeServer(), namespaces)
    harness.driver.bridge_ports = ['oapours', 'oapours2']
    harness.agent.run_once()
    assert sorted(namespaces) == ['qdhcp-foreign', 'unrelated']
    assert harness.driver.unplugged == [('tapours', 'qdhcp-unrecorded')]
