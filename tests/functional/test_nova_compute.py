"""``netmgr-compute`` on a simulated host: a real OVS agent process, the real RabbitMQ and
server, instances as namespaces plugged by the VIF driver.

FlatManager (injected addresses): instances get the port's address and ping each other; every
--nic form; delete removes the namespace, the OVS port and the port; a failing boot leaves
nothing behind. VlanManager and FlatDHCPManager mostly run with no DHCP client (addresses from
network_info), as DHCP agents are tested on their own: a VLAN network per project with
vlan_start + n and the n-th slice, num_networks enforced; FlatDHCP's shared DHCP network. One
test runs the real DHCP client against a dnsmasq of its own on the network.
"""

import json
import pathlib
import subprocess

import pytest

from netmgr.agent.linux import ip_lib
from tests.fixtures.agents import port_status, wait_for
from tests.fixtures.compute import Compute, FIXED_RANGE, inner_addresses, ping

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


@pytest.fixture
def compute(server, netlab, host, tmp_path):
    made = Compute(server, netlab, host, tmp_path)
    yield made
    made.cleanup()


def _address(info):
    [vif] = info
    [subnet] = vif['network']['subnets']
    return subnet['ips'][0]['address']


def test_boot_two_instances_they_ping_and_delete_removes_everything(server, compute):
    api = server.client()
    info1, done = compute.boot('a')
    assert done.returncode == 0, done.stderr
    info2, done = compute.boot('b')
    assert done.returncode == 0, done.stderr
    vif1, vif2 = info1[0], info2[0]
    assert vif1['network']['id'] == vif2['network']['id']
    assert vif1['network']['meta']['injected'] is True
    assert vif1['network']['subnets'][0]['cidr'] == FIXED_RANGE
    for vif, name in ((vif1, 'a'), (vif2, 'b')):
        port = api.show('port', vif['id'])
        assert port['fixed_ips'][0]['ip_address'] == _address([vif])
        assert port['binding:host_id'] == compute.host_name
        assert port['binding:vif_type'] == 'ovs'
        assert inner_addresses(compute.namespace(name)) == [
            '%s/24' % port['fixed_ips'][0]['ip_address']]
    for vif in (vif1, vif2):
        wait_for(lambda v=vif: port_status(api, v['id']) == 'ACTIVE', message='ACTIVE')
    assert vif1['devname'] in compute.int_br.port_names()
    wait_for(lambda: ping(compute.namespace('a'), _address(info2)), timeout=10,
             message='a pings b')

    listed = compute.run('list')
    assert listed.returncode == 0 and _address(info1) in listed.stdout

    done = compute.run('delete', 'a')
    assert done.returncode == 0, done.stderr
    assert not ip_lib.namespace_exists(compute.namespace('a'))
    assert vif1['devname'] not in compute.int_br.port_names()
    assert not ip_lib.device_exists(vif1['devname'])
    assert api.get('/v2.0/ports/%s' % vif1['id']).status == 404
    assert compute.listed() == ['b']


def test_nic_forms_and_a_failing_request_leaves_nothing(server, compute):
    api = server.client()
    info, done = compute.boot('c')
    assert done.returncode == 0, done.stderr
    network_id = info[0]['network']['id']
    taken = _address(info)
    port = api.create('port', network_id=network_id)
    info_d, done = compute.boot('d', 'port-id=%s' % port['id'])
    assert done.returncode == 0, done.stderr
    assert info_d[0]['id'] == port['id']
    assert inner_addresses(compute.namespace('d')) == ['%s/24' % _address(info_d)]
    free = '10.71.0.200'
    info_e, done = compute.boot('e', 'net-id=%s,v4-fixed-ip=%s' % (network_id, free))
    assert done.returncode == 0, done.stderr
    assert inner_addresses(compute.namespace('e')) == ['%s/24' % free]
    wait_for(lambda: ping(compute.namespace('e'), _address(info_d)), timeout=10,
             message='e pings d')

    ports_before = sorted(p['id'] for p in api.list('ports'))
    _info, done = compute.boot('f', 'port-id=%s' % port['id'],
                               'net-id=%s,v4-fixed-ip=%s' % (network_id, taken))
    assert done.returncode == 1
    assert 'PortInUse' in done.stderr or 'NetworkDuplicated' in done.stderr, done.stderr
    _info, done = compute.boot('f', 'net-id=%s,v4-fixed-ip=%s' % (network_id, taken))
    assert done.returncode == 1 and 'FixedIpAlreadyInUse' in done.stderr, done.stderr
    done = compute.run('boot', '--security-group', 'nope', 'f')
    assert done.returncode == 1 and 'SecurityGroupNotFound' in done.stderr, done.stderr
    assert sorted(p['id'] for p in api.list('ports')) == ports_before
    assert not ip_lib.namespace_exists(compute.namespace('f'))
    assert 'f' not in compute.listed()

    # several names boot together in one process (threads, as one nova-compute)
    made = api.post('/v2.0/security-groups', {'security_group': {
        'name': 'web', 'tenant_id': compute.project_id}})
    assert made.status == 201, made
    web = made.json['security_group']
    compute.names += ['g', 'h']
    done = compute.run('boot', '--security-group', 'web', 'g', 'h')
    assert done.returncode == 0, done.stderr
    booted = json.loads(done.stdout)
    compute.port_ids += [vif['id'] for info in booted.values() for vif in info]
    assert sorted(booted) == ['g', 'h']
    for name, info in booted.items():
        assert inner_addresses(compute.namespace(name)) == ['%s/24' % _address(info)]
        assert api.show('port', info[0]['id'])['security_groups'] == [web['id']]
    assert compute.run('delete', 'g', 'h').returncode == 0
    assert not ip_lib.namespace_exists(compute.namespace('g'))

    # delete gives a --nic port-id port back instead of deleting it
    assert compute.run('delete', 'd').returncode == 0
    kept = api.show('port', port['id'])
    assert (kept['device_id'], kept['binding:host_id']) == ('', '')


@pytest.fixture
def computes(server, netlab, host, tmp_path):
    made = []

    def make(suffix, **options):
        made.append(Compute(server, netlab, host, tmp_path, suffix, **options))
        return made[-1]
    yield make
    for compute in made:
        compute.cleanup()


def _vlan(computes, project):
    return computes('v' + project[-1], network_manager='netmgr.managers.VlanManager',
                    fixed_range='10.73.0.0/24', vlan_start=150, network_size=64,
                    num_networks=2, flat_injected=None,
                    compute={'project_id': project, 'dhcp_client': ''})


def test_vlan_manager_network_per_project(server, computes):
    api = server.client()
    project_a, project_b, project_c = (_vlan(computes, 'proj-' + x) for x in 'abc')
    info_a1, done = project_a.boot('1')
    assert done.returncode == 0, done.stderr
    info_a2, done = project_a.boot('2')
    assert done.returncode == 0, done.stderr
    info_b, done = project_b.boot('1')
    assert done.returncode == 0, done.stderr

    net_a = api.show('network', info_a1[0]['network']['id'])
    net_b = api.show('network', info_b[0]['network']['id'])
    assert info_a2[0]['network']['id'] == net_a['id'] != net_b['id']
    assert (net_a['tenant_id'], net_a['provider:network_type'],
            net_a['provider:segmentation_id']) == ('proj-a', 'vlan', 150)
    assert (net_b['tenant_id'], net_b['provider:segmentation_id']) == ('proj-b', 151)
    assert info_a1[0]['network']['meta']['vlan'] == 150
    assert info_a1[0]['network']['subnets'][0]['cidr'] == '10.73.0.0/26'
    assert info_b[0]['network']['subnets'][0]['cidr'] == '10.73.0.64/26'
    assert info_b[0]['network']['subnets'][0]['meta']['enable_dhcp'] is True
    assert inner_addresses(project_a.namespace('1')) == ['%s/26' % _address(info_a1)]
    wait_for(lambda: ping(project_a.namespace('1'), _address(info_a2)), timeout=10,
             message='a1 pings a2')

    ports_before = sorted(p['id'] for p in api.list('ports'))
    _info, done = project_c.boot('1')
    assert done.returncode == 1 and 'NoMoreNetworks' in done.stderr, done.stderr
    assert sorted(p['id'] for p in api.list('ports')) == ports_before
    assert not ip_lib.namespace_exists(project_c.namespace('1'))


def test_flat_dhcp_manager_shared_network_with_dhcp(server, computes):
    api = server.client()
    compute = computes('fd', network_manager='netmgr.managers.FlatDHCPManager',
                       physical_network=None, fixed_range='10.74.0.0/24',
                       compute={'dhcp_client': ''})
    info1, done = compute.boot('1')
    assert done.returncode == 0, done.stderr
    info2, done = compute.boot('2')
    assert done.returncode == 0, done.stderr
    network = api.show('network', info1[0]['network']['id'])
    assert (network['shared'], network['provider:network_type']) == (True, 'local')
    subnet = info1[0]['network']['subnets'][0]
    assert (subnet['cidr'], subnet['meta']['enable_dhcp']) == ('10.74.0.0/24', True)
    assert info1[0]['network']['meta']['injected'] is False
    assert inner_addresses(compute.namespace('2')) == ['%s/24' % _address(info2)]
    wait_for(lambda: ping(compute.namespace('1'), _address(info2)), timeout=10,
             message='1 pings 2')


class Dnsmasq:
    """A stand-in DHCP server for one network: a network:dhcp port plugged into a lab
    namespace on the host's br-int (the agent tags it like any port), dnsmasq in it serving
    fixed MAC -> address entries. Stopped by PID."""

    def __init__(self, netlab, api, host, network_id, directory):
        name, int_br, _agent = host
        self.port = api.create('port', network_id=network_id, device_owner='network:dhcp',
                               device_id='dhcp-test', **{'binding:host_id': name})
        self.address = self.port['fixed_ips'][0]['ip_address']
        self.namespace = netlab.namespace()
        veth = netlab.veth_into(self.namespace, int_br, address=self.address + '/24',
                                external_ids={'iface-id': self.port['id'],
                                              'attached-mac': self.port['mac_address'],
                                              'iface-status': 'active'})
        netlab.executor.execute(['ip', 'link', 'set', veth.inner, 'address',
                                 self.port['mac_address']], namespace=self.namespace)
        self.device = veth.inner
        self.hosts = pathlib.Path(directory) / 'dhcp-hosts'
        self.hosts.write_text('')
        self.process = None

    def serve(self, ports, gateway):
        self.hosts.write_text(''.join('%s,%s\n' % (p['mac_address'],
                                                   p['fixed_ips'][0]['ip_address'])
                                      for p in ports))
        self.process = subprocess.Popen(
            ['ip', 'netns', 'exec', self.namespace, 'dnsmasq', '--keep-in-foreground',
             '--no-hosts', '--no-resolv', '--port=0', '--bind-interfaces',
             '--interface=%s' % self.device, '--except-interface=lo', '--user=root',
             '--dhcp-range=%s,static,255.255.255.0,120' % self.address,
             '--dhcp-option=3,%s' % gateway, '--dhcp-hostsfile=%s' % self.hosts,
             '--pid-file=', '--dhcp-leasefile=%s' % self.hosts.with_name('leases')],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def test_dhcp_subnet_instance_gets_its_address_from_a_dhcp_client(
        server, computes, netlab, host, tmp_path):
    """FlatDHCP with the DHCP client on: the instance's address is a real lease."""
    api = server.client()
    static = computes('fs', network_manager='netmgr.managers.FlatDHCPManager',
                      physical_network=None, fixed_range='10.74.0.0/24',
                      compute={'dhcp_client': ''})
    info, done = static.boot('s')        # makes the FlatDHCP network if it is not there yet
    assert done.returncode == 0, done.stderr
    network_id = info[0]['network']['id']
    dhcp = Dnsmasq(netlab, api, host, network_id, tmp_path)
    try:
        port = api.create('port', network_id=network_id)
        dhcp.serve([port], gateway=info[0]['network']['subnets'][0]['gateway']['address'])
        leased = computes('fq', network_manager='netmgr.managers.FlatDHCPManager',
                          physical_network=None, fixed_range='10.74.0.0/24',
                          compute={'dhcp_timeout': 15})
        info, done = leased.boot('q', 'port-id=%s' % port['id'])
        assert done.returncode == 0, done.stderr
        [subnet] = info[0]['network']['subnets']
        assert subnet['meta']['dhcp_server'] == dhcp.address
        expected = port['fixed_ips'][0]['ip_address']
        assert inner_addresses(leased.namespace('q')) == ['%s/24' % expected]
        assert ip_lib.default_gateway(leased.namespace('q')) == subnet['gateway']['address']
        assert ping(leased.namespace('q'), dhcp.address)
        assert leased.run('delete', 'q').returncode == 0
    finally:
        dhcp.stop()
        api.delete('/v2.0/ports/%s' % dhcp.port['id'])
