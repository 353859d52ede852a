"""nova-network's DHCP managers with the real DHCP agent: a simulated host runs
netmgr-ovs-agent and netmgr-dhcp-agent on one br-int, ``netmgr-compute boot`` with no --nic
gets the manager's network and the instance asks dnsmasq for its address with busybox udhcpc.

FlatDHCPManager (flat on physnet1): leases are the ports' addresses with the subnet's gateway
(dnsmasq's lease file agrees), instances ping each other, ``v4-fixed-ip`` is the lease; delete
removes the namespace, the OVS port and the port, and the freed address is leased to the next
instance at once, with the subnet's host routes. VlanManager: each project's network has its
VLAN on the wire, instances booted together in one command get their leases, no traffic
between projects. Deleting the managers' networks makes the DHCP agent remove its qdhcp-
namespaces and dnsmasq.
"""

import json
import os
import signal

import pytest

from netmgr.agent.linux import ip_lib
from netmgr.agent.linux import process
from netmgr import devnames
from tests.fixtures.agents import AgentProcess, simulated_host, wait_for
from tests.fixtures.compute import Compute, inner_addresses, ping

pytestmark = pytest.mark.functional

DHCP_AGENT_BIN = AgentProcess.__init__.__defaults__[0].with_name('netmgr-dhcp-agent')
VLAN_START = 170        # inside the server's physnet1:100:199
MARKER = 'nova-network:'    # the managers' networks' description


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


class Host:
    """(name, br-int, OVS agent) as netmgr-compute's tests take it, its physical bridge, and a
    DHCP agent on the same host and br-int. The teardown kills the dnsmasq and removes the
    qdhcp- namespace of every network it served or was told of, whatever the agent did."""

    def __init__(self, netlab, agent_factory, rpc_options, server, tmp_path):
        self.triple, self.phys_br = simulated_host(netlab, agent_factory, rpc_options, server, 1)
        self.name, self.int_br, _agent = self.triple
        self.state_path = tmp_path / 'dhcp-state'
        self.network_ids = []
        agent_factory.add(AgentProcess(
            agent_factory.base_dir / (self.name + '-dhcp'), self.name, rpc_options,
            {'OVS': {'integration_bridge': self.int_br.name, 'datapath_type': 'netdev'},
             'DHCP': {'process_check_interval': 0.5, 'resync_interval': 0.5,
                      'rpc_timeout': 10, 'dnsmasq_user': 'root'},
             'AGENT': {'report_interval': 1.0}},
            binary=DHCP_AGENT_BIN, options={'state_path': str(self.state_path)}))
        wait_for(lambda: server.client().list('agents', {'host': self.name,
                                                         'agent_type': 'DHCP agent'}),
                 message='DHCP agent report')

    def leases(self, network_id):
        path = self.state_path / 'dhcp' / network_id / 'leases'
        return path.read_text() if path.exists() else ''

    def leased(self, network_id, port):
        """dnsmasq's lease file has this port's MAC with its address."""
        wanted = (port['mac_address'], port['fixed_ips'][0]['ip_address'])
        return any(tuple(line.split()[1:3]) == wanted
                   for line in self.leases(network_id).splitlines())

    def dnsmasq_pid(self, network_id):
        manager = process.ProcessManager(
            None, network_id, str(self.state_path / 'dhcp' / network_id / 'pid'))
        return manager.pid if manager.active() else None

    def cleanup(self, api):
        """After the agents stopped: the managers' networks a failed test left are deleted
        (the next test's agent would serve them), then dnsmasq and qdhcp- namespaces go."""
        for network in api.list('networks'):
            if (network.get('description') or '').startswith(MARKER):
                self.network_ids.append(network['id'])
                for port in api.list('ports', {'network_id': network['id']}):
                    api.delete('/v2.0/ports/%s' % port['id'])
                api.delete('/v2.0/networks/%s' % network['id'])
        dhcp_dir = self.state_path / 'dhcp'
        for network_id in set(self.network_ids) | set(
                os.listdir(dhcp_dir) if dhcp_dir.is_dir() else ()):
            pid = self.dnsmasq_pid(network_id)
            if pid:
                os.kill(pid, signal.SIGKILL)
            ip_lib.delete_namespace(devnames.dhcp_namespace(network_id), if_exists=True)


@pytest.fixture
def host(netlab, agent_factory, rpc_options, server, tmp_path):
    made = Host(netlab, agent_factory, rpc_options, server, tmp_path)
    yield made
    agent_factory.stop_all()
    made.cleanup(server.client())


@pytest.fixture
def computes(server, netlab, host, tmp_path):
    made = []

    def make(suffix, **options):
        options.setdefault('compute', {}).setdefault('dhcp_timeout', 20)
        made.append(Compute(server, netlab, host.triple, tmp_path, suffix, **options))
        return made[-1]
    yield make
    for compute in made:
        compute.cleanup()


def _boot(compute, name, *nics):
    info, done = compute.boot(name, *nics)
    assert done.returncode == 0, done.stderr
    [vif] = info
    return vif


def _assert_leased(api, host, compute, name, vif, prefixlen):
    """The instance's only address is its port's, from dnsmasq, with the subnet's gateway as
    the default route."""
    port = api.show('port', vif['id'])
    address = port['fixed_ips'][0]['ip_address']
    [subnet] = vif['network']['subnets']
    assert subnet['meta']['enable_dhcp'] is True
    assert inner_addresses(compute.namespace(name)) == ['%s/%d' % (address, prefixlen)]
    assert ip_lib.default_gateway(compute.namespace(name)) == subnet['gateway']['address']
    wait_for(lambda: host.leased(vif['network']['id'], port), timeout=5,
             message='lease of %s in dnsmasq' % address)
    return address


def _delete_network(api, host, network_id):
    api.remove('network', network_id)
    wait_for(lambda: not ip_lib.namespace_exists(devnames.dhcp_namespace(network_id)),
             timeout=20, message='qdhcp- namespace removed')
    assert host.dnsmasq_pid(network_id) is None


def test_flat_dhcp_manager_leases_ping_fixed_ip_and_delete(server, host, computes):
    api = server.client()
    compute = computes('fd', network_manager='netmgr.managers.FlatDHCPManager',
                       physical_network='physnet1', fixed_range='10.76.0.0/24')
    vif_a = _boot(compute, 'a')
    network_id = vif_a['network']['id']
    host.network_ids.append(network_id)
    network = api.show('network', network_id)
    assert (network['shared'], network['provider:network_type'],
            network['provider:physical_network']) == (True, 'flat', 'physnet1')
    assert vif_a['network']['meta']['injected'] is False
    address_a = _assert_leased(api, host, compute, 'a', vif_a, 24)

    # The first boot made the network, so its network_info predates the DHCP port.
    [dhcp_port] = api.list('ports', {'network_id': network_id, 'device_owner': 'network:dhcp'})
    shown = json.loads(compute.run('show', 'a').stdout)
    assert shown[0]['network']['subnets'][0]['meta']['dhcp_server'] == (
        dhcp_port['fixed_ips'][0]['ip_address'])

    vif_b = _boot(compute, 'b')
    assert vif_b['network']['id'] == network_id
    assert vif_b['network']['subnets'][0]['meta']['dhcp_server'] == (
        dhcp_port['fixed_ips'][0]['ip_address'])
    address_b = _assert_leased(api, host, compute, 'b', vif_b, 24)
    assert address_a != address_b
    wait_for(lambda: ping(compute.namespace('a'), address_b), timeout=10,
             message='a pings b')

    fixed = '10.76.0.123'
    vif_c = _boot(compute, 'c', 'net-id=%s,v4-fixed-ip=%s' % (network_id, fixed))
    assert _assert_leased(api, host, compute, 'c', vif_c, 24) == fixed
    wait_for(lambda: ping(compute.namespace('c'), address_a), timeout=10,
             message='c pings a')

    done = compute.run('delete', 'a')
    assert done.returncode == 0, done.stderr
    assert not ip_lib.namespace_exists(compute.namespace('a'))
    assert vif_a['devname'] not in host.int_br.port_names()
    assert not ip_lib.device_exists(vif_a['devname'])
    assert api.get('/v2.0/ports/%s' % vif_a['id']).status == 404

    # Its address, given to a new instance (another MAC) at once: dnsmasq let go of the lease.
    # The subnet's host routes come with the lease (option 121) as well as its gateway.
    [subnet_id] = api.show('network', network_id)['subnets']
    resp = api.put('/v2.0/subnets/%s' % subnet_id, {'subnet': {'host_routes': [
        {'destination': '192.0.2.0/24', 'nexthop': '10.76.0.254'}]}})
    assert resp.status == 200, resp
    vif_d = _boot(compute, 'd', 'net-id=%s,v4-fixed-ip=%s' % (network_id, address_a))
    assert _assert_leased(api, host, compute, 'd', vif_d, 24) == address_a
    assert {('192.0.2.0/24', '10.76.0.254'), ('0.0.0.0/0', '10.76.0.1')} <= {
        (r.cidr, r.via) for r in ip_lib.list_routes(compute.namespace('d'))}

    assert compute.run('delete', 'b', 'c', 'd').returncode == 0
    _delete_network(api, host, network_id)


def _wire_vlan(netlab, host, devname):
    """The VLAN the physical bridge puts on frames of the br-int port ``devname``."""
    local = host.int_br.get_port_tag(devname)
    flows = netlab.executor.execute(['ovs-ofctl', 'dump-flows', host.phys_br.name])
    for flow in flows.splitlines():
        if 'dl_vlan=%d ' % local in flow and 'mod_vlan_vid:' in flow:
            return int(flow.split('mod_vlan_vid:')[1].split(',')[0])
    return None


def test_vlan_manager_projects_get_their_vlan_leases_and_no_path_between(
        server, netlab, host, computes):
    api = server.client()
    project = {p: computes('v' + p, network_manager='netmgr.managers.VlanManager',
                           physical_network='physnet1', fixed_range='10.77.0.0/24',
                           vlan_start=VLAN_START, network_size=64, num_networks=2,
                           flat_injected=None, compute={'project_id': 'proj-' + p})
               for p in 'ab'}
    # Project a's two instances boot together in one netmgr-compute (threads).
    project['a'].names += ['1', '2']
    done = project['a'].run('boot', '1', '2')
    assert done.returncode == 0, done.stderr
    booted = json.loads(done.stdout)
    project['a'].port_ids += [info[0]['id'] for info in booted.values()]
    vifs = {'a': booted['1'][0], 'b': _boot(project['b'], '1')}
    vif_a2 = booted['2'][0]
    host.network_ids += [vifs[p]['network']['id'] for p in 'ab']

    for index, p in enumerate('ab'):
        network = api.show('network', vifs[p]['network']['id'])
        assert (network['tenant_id'], network['provider:network_type'],
                network['provider:segmentation_id']) == ('proj-' + p, 'vlan',
                                                         VLAN_START + index)
        assert vifs[p]['network']['subnets'][0]['cidr'] == '10.77.0.%d/26' % (64 * index)
        assert _wire_vlan(netlab, host, vifs[p]['devname']) == VLAN_START + index
    assert vif_a2['network']['id'] == vifs['a']['network']['id']

    address = {p: _assert_leased(api, host, project[p], '1', vifs[p], 26) for p in 'ab'}
    address_a2 = _assert_leased(api, host, project['a'], '2', vif_a2, 26)
    wait_for(lambda: ping(project['a'].namespace('1'), address_a2), timeout=10,
             message='a1 pings a2')

    # Put the other project's subnet on-link on both sides: only the VLANs separate them.
    for p, other in (('a', 'b'), ('b', 'a')):
        device = next(d for d in ip_lib.list_devices(project[p].namespace('1')) if d != 'lo')
        ip_lib.add_route(vifs[other]['network']['subnets'][0]['cidr'], device=device,
                         namespace=project[p].namespace('1'))
    assert not ping(project['a'].namespace('1'), address['b'])
    assert not ping(project['b'].namespace('1'), address['a'])
    assert not ping(project['b'].namespace('1'), address_a2)

    assert project['a'].run('delete', '1', '2').returncode == 0
    assert project['b'].run('delete', '1').returncode == 0
    for p in 'ab':
        _delete_network(api, host, vifs[p]['network']['id'])
