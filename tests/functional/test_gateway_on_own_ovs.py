"""A gateway + compute host run as a real host runs it: a host of the ovs_hosts lab with its
own Open vSwitch (userspace datapath), whose OVS, DHCP and L3 agents run INSIDE its network
namespace, where that ovs-vswitchd opens their devices, and reach RabbitMQ through the host's
relay; the server stays in the root namespace. Tenant network net1 (a VLAN of physnet1),
the admin's flat external network on physnet1 with an "outside" namespace as its gateway,
router1 between them. An instance plugged on the host with its port's MAC gets its address
from dnsmasq (``busybox udhcpc``), reaches its router, goes out by SNAT and is reached
through a floating IP; deleting it all through the API leaves nothing on the host.
The tests share this world and run in file order.
"""

import contextlib
import os

import pytest

from netmgr.agent.linux import ip_lib
from netmgr import devnames
from tests.fixtures import gateway
from tests.fixtures import ovs_hosts
from tests.fixtures.agents import wait_for
from tests.fixtures.compute import Compute, inner_addresses, ping

pytestmark = pytest.mark.functional

EXT_CIDR, EXT_GATEWAY = '192.168.0.0/24', '192.168.0.1'
CIDR = '10.0.0.0/24'
TENANT = 'tenant-a'


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


def _build(host, world):
    admin = host.server.client()
    a = world['a'] = admin.as_tenant(TENANT)
    world['admin'] = admin
    world['outside'] = host.ovs_lab.connect(host.host, host.phys_br,
                                            address=EXT_GATEWAY + '/24').namespace
    net = world['net1'] = a.create('network', name='net1')
    host.network_ids.append(net['id'])
    sub = world['sub1'] = a.create('subnet', network_id=net['id'], cidr=CIDR, ip_version=4)
    world['ext'], _ = gateway.external_network(admin, EXT_CIDR, EXT_GATEWAY)
    host.network_ids.append(world['ext']['id'])
    router = world['router'] = gateway.router_with(a, 'router1', world['ext'], [sub])
    host.router_ids.append(router['id'])
    wait_for(lambda: host.dhcp_served(net['id']), timeout=30, message='DHCP of net1 served')
    wait_for(lambda: gateway.router_ports_active(admin, router['id']), timeout=30,
             message='ports of router1 ACTIVE')
    world['vm1'] = host.boot(a, net, sub, 'vm1')
    world['lease'] = host.udhcpc(world['vm1'])
    gw = admin.show('router', router['id'])['external_gateway_info']
    world['gw_ip'] = gw['external_fixed_ips'][0]['ip_address']


@pytest.fixture(scope='module')
def world(server, rpc_options, tmp_path_factory):
    """The host with its three agents inside, and the scenario made on it (module doc). On
    the way out: the agents stop, what they made is removed by record, then the lab (which
    asserts that nothing of it is left)."""
    world = {}
    with contextlib.ExitStack() as stack:
        lab = stack.enter_context(ovs_hosts.open_ovs_hosts())
        host = gateway.GatewayOnOvsHost(lab, rpc_options, server,
                                        tmp_path_factory.mktemp('own-ovs'))
        stack.callback(host.cleanup)
        stack.callback(host.stop_agents)
        world['host'] = host.start()
        _build(host, world)
        yield world
    assert host.agent_namespaces() == []


def _netns_inode(pid):
    return os.stat('/proc/%d/ns/net' % pid).st_ino


def test_the_agents_run_inside_the_host_and_plug_there(world):
    host = world['host']
    inside = os.stat('/var/run/netns/%s' % host.host.namespace).st_ino
    agents = host.host.agents
    assert sorted(agents) == ['dhcp', 'l3', 'ovs']
    assert all(_netns_inode(a.pid) == inside for a in agents.values())
    # Their namespaces are seen from everywhere (the agents share this mount namespace).
    assert host.agent_namespaces() == sorted([
        devnames.dhcp_namespace(world['net1']['id']),
        devnames.router_namespace(world['router']['id'])])
    # The host ends of the DHCP port and the router's qr-/qg- ports are on the host's
    # br-int, in its namespace, none in the root namespace.
    ports = host.agent_ports()
    assert sorted(p[:3] for p in ports) == ['oap', 'og-', 'or-']
    assert all(ip_lib.device_exists(p, host.host.namespace) for p in ports)
    assert not any(ip_lib.device_exists(p) for p in ports)
    prefix = host.ovs_lab.prefix
    assert [b for b in host.lab.ovsdb.list_bridges() if b.startswith(prefix)] == []


def test_the_instance_gets_its_address_and_gateway_by_dhcp(world):
    vm1, gateway_ip = world['vm1'], world['sub1']['gateway_ip']
    assert world['lease'] == {'ip': vm1.ip, 'mask': '24', 'router': gateway_ip}
    assert ip_lib.IPDevice(vm1.device, vm1.ns).list_addresses(4) == [vm1.ip + '/24']
    assert ip_lib.default_gateway(vm1.ns) == gateway_ip
    assert len(gateway.dnsmasq_processes(world['net1']['id'])) == 1


def test_the_instance_reaches_its_router_and_the_outside_by_snat(world):
    lab, vm1 = world['host'].lab, world['vm1']
    assert lab.ping_within(vm1.ns, world['sub1']['gateway_ip'])
    assert lab.ping_within(vm1.ns, EXT_GATEWAY)
    assert world['gw_ip'] != EXT_GATEWAY and world['gw_ip'].startswith('192.168.0.')
    assert gateway.peer_seen_from(lab, vm1.ns, world['outside'], EXT_GATEWAY) == world['gw_ip']


def test_a_floating_ip_reaches_the_instance(world):
    world['fip'] = gateway.floating_ip_for(world['host'].lab, world['a'], world['ext'],
                                           world['vm1'], world['outside'], EXT_GATEWAY)


def test_netmgr_compute_on_the_host_boots_an_instance_that_gets_dhcp(world, tmp_path):
    """netmgr-compute run as on a real compute host, inside the host's namespace with
    [compute] ovsdb_connection naming the host's own Open vSwitch: the VIF driver plugs the
    tap there, the host's OVS agent wires it, the guest gets its address from dnsmasq."""
    host, admin = world['host'], world['admin']
    compute = Compute.on_ovs_host(host.server, host.ovs_lab, host.host, tmp_path,
                                  network_manager=None, compute={'project_id': TENANT})
    try:
        info, done = compute.boot('vm2', 'net-id=%s' % world['net1']['id'])
        assert done.returncode == 0, done.stderr
        [vif] = info
        port = admin.show('port', vif['id'])
        assert (port['binding:host_id'], port['status']) == (host.name, 'ACTIVE')
        assert vif['devname'] in host.int_br_ports()
        assert ip_lib.device_exists(vif['devname'], host.host.namespace)
        assert not ip_lib.device_exists(vif['devname'])
        namespace, address = compute.namespace('vm2'), port['fixed_ips'][0]['ip_address']
        assert inner_addresses(namespace) == [address + '/24']      # from dnsmasq
        assert ip_lib.default_gateway(namespace) == world['sub1']['gateway_ip']
        for address in (world['vm1'].ip, EXT_GATEWAY):
            wait_for(lambda a=address: ping(namespace, a), timeout=10,
                     message='vm2 pings %s' % address)

        assert compute.run('delete', 'vm2').returncode == 0
        assert not ip_lib.namespace_exists(namespace)
        assert vif['devname'] not in host.int_br_ports()
        assert admin.get('/v2.0/ports/%s' % vif['id']).status == 404
    finally:
        compute.cleanup()


def test_another_hosts_l3_agent_leaves_this_hosts_router_alone(world, rpc_options):
    """Simulated hosts share the machine's namespace names: a second host's L3 agent sees
    this host's qrouter- namespace at its first full sync, where it removes what it takes
    for its own leftovers, and must know it for another host's (the peers of its devices are
    not in its namespace). The router stays this host's (its ports are bound here)."""
    host, lab = world['host'], world['host'].lab
    other = host.ovs_lab.add_host()
    [l3] = host.ovs_lab.start_agents(other, rpc_options, kinds=('l3',),
                                     directory=host.state_dir / 'other-agents').values()
    wait_for(lambda: 'full sync: 0 router(s)' in l3.log_text(), timeout=30,
             message="the other host's first full sync")
    assert devnames.router_namespace(world['router']['id']) in host.agent_namespaces()
    assert lab.ping_within(world['outside'], world['fip']['floating_ip_address'])
    assert other.stop_agents() == {'l3': 0}


def test_deleting_everything_through_the_api_leaves_nothing(world):
    host, admin, a, vm1 = world['host'], world['admin'], world['a'], world['vm1']
    if 'fip' in world:
        a.remove('floatingip', world['fip']['id'])
    host.unplug(vm1)
    a.remove('port', vm1.port['id'])
    gateway.delete_router(a, world['router'], [world['sub1']])
    a.remove('network', world['net1']['id'])
    admin.remove('network', world['ext']['id'])
    host.wait_all_removed(admin)
    assert not ip_lib.device_exists(host.veths[vm1.port['id']].outer, host.host.namespace)
