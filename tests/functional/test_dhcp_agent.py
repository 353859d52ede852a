"""netmgr-dhcp-agent with a real server, RabbitMQ, Open vSwitch (userspace) and dnsmasq: an
OVS agent and a DHCP agent run as separate processes for one simulated host on one br-int;
instances (namespaces) ask for their address with ``busybox udhcpc``.

The module talks on its own RabbitMQ virtual host: oslo.messaging names topic queues and
fanout exchanges after the topic alone, so a control exchange does not keep a DHCP agent from
hearing (and calling) the servers of other test runs on the same broker."""

import os
import re
import signal
import sys

import pytest

from netmgr.agent.dhcp import device as dhcp_device
from netmgr.agent.linux import ip_lib
from netmgr.agent.linux import process
from netmgr import devnames
from tests.fixtures import dhcpv6_client
from tests.fixtures import gateway
from tests.fixtures.agents import AgentProcess, port_status, simulated_host, VLAN_RANGE
from tests.fixtures.agents import wait_for
from tests.functional.rest_helpers import _net

pytestmark = pytest.mark.functional

DHCP_AGENT_BIN = AgentProcess.__init__.__defaults__[0].with_name('netmgr-dhcp-agent')
UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
  bound|renew)
    ip addr add "$ip/$mask" dev "$interface"
    echo "LEASE ip=$ip mask=$mask router=$router"
    ;;
esac
"""

DHCPV6_CLIENT = dhcpv6_client.__file__


@pytest.fixture(scope='module')
def server(module_server_factory, rpc_options):
    return module_server_factory(
        'dhcp-agents', api_workers=1, **rpc_options,
        sections={'l2': {'tenant_network_types': 'vlan', 'network_vlan_ranges': VLAN_RANGE}})


class DhcpHost:
    """A simulated host: its br-int with an OVS agent, and a DHCP agent on the same host
    name and bridge. Namespaces and dnsmasq processes of the networks a test names are
    removed at teardown by record, whatever the agent did."""

    def __init__(self, netlab, agent_factory, rpc_options, server, tmp_path):
        (self.name, self.int_br, self.ovs_agent), _phys = simulated_host(
            netlab, agent_factory, rpc_options, server, 1)
        self.netlab, self.agent_factory, self.server = netlab, agent_factory, server
        self.state_path = tmp_path / 'dhcp-state'
        self.script = tmp_path / 'udhcpc.sh'
        self.script.write_text(UDHCPC_SCRIPT)
        self.script.chmod(0o755)
        self.rpc_options = rpc_options
        self.network_ids = []
        self.agent = None

    def start_agent(self):
        sections = {'OVS': {'integration_bridge': self.int_br.name, 'datapath_type': 'netdev'},
                    'DHCP': {'process_check_interval': 0.3, 'resync_interval': 0.5,
                             'rpc_timeout': 10,
                             'dnsmasq_user': 'root',
                             'dnsmasq_log_dir': str(self.state_path / 'log')},
                    'AGENT': {'report_interval': 1.0}}
        self.agent = self.agent_factory.add(AgentProcess(
            self.agent_factory.base_dir / (self.name + '-dhcp'), self.name, self.rpc_options,
            sections, binary=DHCP_AGENT_BIN, options={'state_path': str(self.state_path)}))
        return self.agent

    def syncs(self):
        return self.agent.log_text().count('synchronised')

    def network(self, **kwargs):
        network, subnet = _net(self.server.client(), **kwargs)
        self.network_ids.append(network['id'])
        return network, subnet

    def pid_file(self, network_id):
        return str(self.state_path / 'dhcp' / network_id / 'pid')

    def dnsmasq_pid(self, network_id):
        return gateway.running_pid(network_id, self.pid_file(network_id))

    def dhcp_port(self, network_id):
        ports = self.server.client().list('ports', {'network_id': network_id,
                                                    'device_owner': 'network:dhcp'})
        return ports[0] if len(ports) == 1 else (ports or None)

    def boot(self, network):
        """An instance port on this host and its namespace, plugged like nova's OVS VIF but
        without an address: DHCP has to give it one."""
        api = self.server.client()
        port = api.create('port', network_id=network['id'], **{'binding:host_id': self.name})
        ns = self.netlab.namespace()
        veth = self.netlab.veth_into(ns, self.int_br, external_ids={
            'iface-id': port['id'], 'attached-mac': port['mac_address'], 'vm-uuid': ns,
            'iface-status': 'active'})
        self.netlab.executor.execute(['ip', 'link', 'set', veth.inner, 'address',
                                      port['mac_address']], namespace=ns)
        wait_for(lambda: port_status(api, port['id']) == 'ACTIVE', message='port ACTIVE')
        return port, ns, veth.inner

    def udhcpc(self, ns, device):
        """busybox udhcpc in the instance: {'ip', 'mask', 'router'} it was given, or None."""
        out = self.netlab.executor.execute(
            ['busybox', 'udhcpc', '-i', device, '-n', '-q', '-f', '-t', '8', '-T', '1',
             '-s', str(self.script)], namespace=ns, check_exit_code=False)
        found = re.search(r'LEASE ip=(\S*) mask=(\S*) router=(.*)', out)
        if not found:
            return None
        return {'ip': found.group(1), 'mask': found.group(2),
                'router': found.group(3).strip() or None}

    def cleanup(self):
        dhcp_dir = self.state_path / 'dhcp'
        recorded = os.listdir(dhcp_dir) if dhcp_dir.is_dir() else []
        for network_id in set(self.network_ids) | set(recorded):
            pid = self.dnsmasq_pid(network_id)
            if pid:
                os.kill(pid, signal.SIGKILL)
            ns = devnames.dhcp_namespace(network_id)
            if ip_lib.namespace_exists(ns):
                ip_lib.delete_namespace(ns)


@pytest.fixture
def dhcp_host(netlab, agent_factory, rpc_options, server, tmp_path):
    host = DhcpHost(netlab, agent_factory, rpc_options, server, tmp_path)
    host.start_agent()
    wait_for(lambda: any(a['agent_type'] == 'DHCP agent' for a in
                         server.client().list('agents', {'host': host.name})),
             message='DHCP agent report')
    yield host
    host.agent.stop()
    host.cleanup()


def _addresses(netlab, ns, device):
    return ip_lib.IPDevice(device, ns).list_addresses(family=4)


def _served(host, network_id):
    """dnsmasq running and the DHCP port ACTIVE on the server: a lease can be had."""
    port = host.dhcp_port(network_id)
    return (host.dnsmasq_pid(network_id) and isinstance(port, dict) and
            port['status'] == 'ACTIVE')


def test_instances_get_their_port_address_and_gateway_from_dnsmasq(netlab, dhcp_host):
    host = dhcp_host
    network, subnet = host.network(cidr='10.71.0.0/24')
    wait_for(lambda: _served(host, network['id']), timeout=60, message='DHCP served')
    pid = host.dnsmasq_pid(network['id'])
    dhcp_port = host.dhcp_port(network['id'])
    assert dhcp_port['binding:host_id'] == host.name
    assert dhcp_port['device_id'] == dhcp_device.device_id(host.name, network['id'])

    port, ns, dev = host.boot(network)
    lease = host.udhcpc(ns, dev)
    ip = port['fixed_ips'][0]['ip_address']
    assert lease == {'ip': ip, 'mask': '24', 'router': subnet['gateway_ip']}
    assert _addresses(netlab, ns, dev) == [ip + '/24']

    # A port made after dnsmasq started: the same dnsmasq (SIGHUP, no restart) answers it.
    port2, ns2, dev2 = host.boot(network)
    assert host.udhcpc(ns2, dev2)['ip'] == port2['fixed_ips'][0]['ip_address']
    assert host.dnsmasq_pid(network['id']) == pid

    # A dnsmasq that died is started again and serves.
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: host.dnsmasq_pid(network['id']) not in (None, pid), timeout=15,
             message='dnsmasq respawned')
    port3, ns3, dev3 = host.boot(network)
    assert host.udhcpc(ns3, dev3)['ip'] == port3['fixed_ips'][0]['ip_address']

    # A restarted agent adopts what is there: one dnsmasq, namespace, port, OVS port.
    pid = host.dnsmasq_pid(network['id'])
    host.agent.stop()
    host.start_agent()
    wait_for(lambda: host.syncs() >= 2, timeout=60, message='resync after restart')
    assert gateway.dnsmasq_processes(network['id']) == [pid]
    assert ip_lib.list_namespaces().count(devnames.dhcp_namespace(network['id'])) == 1
    dhcp_port_now = host.dhcp_port(network['id'])
    assert isinstance(dhcp_port_now, dict) and dhcp_port_now['id'] == dhcp_port['id']
    assert [v.iface_id for v in host.int_br.vif_ports()].count(dhcp_port['id']) == 1
    port4, ns4, dev4 = host.boot(network)
    assert host.udhcpc(ns4, dev4)['ip'] == port4['fixed_ips'][0]['ip_address']

    # DHCP off on the only subnet: dnsmasq, namespace and the DHCP port go.
    host.server.client().put('/v2.0/subnets/%s' % subnet['id'],
                             {'subnet': {'enable_dhcp': False}})
    wait_for(lambda: not gateway.dnsmasq_processes(network['id']), timeout=15,
             message='dnsmasq stopped')
    wait_for(lambda: host.dhcp_port(network['id']) is None, message='DHCP port released')
    wait_for(lambda: not ip_lib.namespace_exists(devnames.dhcp_namespace(network['id'])),
             message='namespace removed')
    assert dhcp_port['id'] not in [v.iface_id for v in host.int_br.vif_ports()]


def test_overlapping_network_without_gateway_and_network_delete(netlab, dhcp_host):
    host = dhcp_host
    net_a, _ = host.network(cidr='10.72.0.0/24')
    net_b = host.network()[0]
    api = host.server.client()
    api.create('subnet', network_id=net_b['id'], cidr='10.72.0.0/24', ip_version=4,
               gateway_ip=None)
    for network in (net_a, net_b):
        wait_for(lambda n=network: _served(host, n['id']), timeout=60, message='served')
    port_a, ns_a, dev_a = host.boot(net_a)
    port_b, ns_b, dev_b = host.boot(net_b)
    lease_b = host.udhcpc(ns_b, dev_b)
    assert lease_b == {'ip': port_b['fixed_ips'][0]['ip_address'], 'mask': '24',
                       'router': None}
    assert host.udhcpc(ns_a, dev_a)['ip'] == port_a['fixed_ips'][0]['ip_address']

    dhcp_port_b = host.dhcp_port(net_b['id'])
    pid_b = host.dnsmasq_pid(net_b['id'])
    outer = devnames.peer_name(devnames.tap_name(dhcp_port_b['id']))
    assert outer in host.int_br.port_names()
    api.remove('port', port_b['id'])
    api.remove('network', net_b['id'])
    wait_for(lambda: not ip_lib.namespace_exists(devnames.dhcp_namespace(net_b['id'])),
             message='namespace removed')
    assert gateway.dnsmasq_processes(net_b['id']) == []
    assert not os.path.exists('/proc/%d/cmdline' % pid_b) or not process.read_cmdline(pid_b)
    assert outer not in host.int_br.port_names()
    assert not ip_lib.device_exists(outer)
    assert not (host.state_path / 'dhcp' / net_b['id']).exists()
    # The other network with the same CIDR still serves.
    assert host.udhcpc(ns_a, dev_a)['ip'] == port_a['fixed_ips'][0]['ip_address']


def test_dhcpv6_stateful_subnet_leases_the_ports_address(netlab, dhcp_host):
    """A real DHCPv6 exchange (tests/fixtures/dhcpv6_client.py: Solicit, Advertise, Request,
    Reply with a DUID-LL of the instance's MAC) against the agent's dnsmasq."""
    host = dhcp_host
    network, _ = host.network()
    subnet = host.server.client().create(
        'subnet', network_id=network['id'], ip_version=6, cidr='2001:db8:71::/64',
        ipv6_address_mode='dhcpv6-stateful', ipv6_ra_mode='dhcpv6-stateful')
    wait_for(lambda: _served(host, network['id']), timeout=60, message='DHCP served')
    port, ns, dev = host.boot(network)
    [fixed] = port['fixed_ips']
    assert fixed['subnet_id'] == subnet['id']
    out = netlab.executor.execute([sys.executable, DHCPV6_CLIENT, dev, port['mac_address'],
                                   '15'], namespace=ns)
    assert out.strip() == fixed['ip_address']
    # Only the network's ports get an address: a DUID of another MAC gets none.
    out = netlab.executor.execute([sys.executable, DHCPV6_CLIENT, dev, 'fa:16:3e:ff:ff:01',
                                   '3'], namespace=ns)
    assert out.strip() == ''
