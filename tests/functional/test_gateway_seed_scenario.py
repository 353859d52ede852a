"""The seed scenario on a real gateway + compute host: OVS, DHCP and L3 agents as separate
processes of one simulated host (real RabbitMQ, OVS userspace datapath, dnsmasq, iptables),
everything made through the REST API, instances plugged by Nova's OVS VIF driver that get
their address from dnsmasq with ``busybox udhcpc``.

Tenant A: net1 10.0.0.0/24 and net2 10.0.1.0/24, routerA joining them with its gateway on the
admin's flat external network (physnet1), where an "outside" namespace has the subnet's
gateway address. Tenant B: its own network and router. The tests share this world and run in
file order: addressing, routing, SNAT, floating IPs, isolation, a dnsmasq killed, the DHCP
and L3 agents restarted, a floating IP removed while the L3 agent is down, then everything
deleted through the API.
"""

import contextlib
import os
import signal

import pytest

from netmgr.agent.linux import ip_lib
from netmgr import devnames
from tests.fixtures import agents as agents_fixture
from tests.fixtures import gateway
from tests.fixtures import netlab as netlab_fixture
from tests.fixtures.agents import wait_for

pytestmark = pytest.mark.functional

EXT_CIDR, EXT_GATEWAY = '192.168.0.0/24', '192.168.0.1'
TENANT_A, TENANT_B = 'tenant-a', 'tenant-b'
CIDRS = {'net1': '10.0.0.0/24', 'net2': '10.0.1.0/24', 'netB': '10.0.5.0/24'}


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


def _network(api, name):
    network = api.create('network', name=name)
    subnet = api.create('subnet', network_id=network['id'], cidr=CIDRS[name], ip_version=4,
                        name='sub-' + name)
    return network, subnet


def _build(host, world):
    admin = host.server.client()
    a, b = admin.as_tenant(TENANT_A), admin.as_tenant(TENANT_B)
    world.update(admin=admin, a=a, b=b)
    world['outside'] = outside = host.lab.namespace()
    host.lab.veth_into(outside, host.phys_br, address=EXT_GATEWAY + '/24')
    for name, api in (('net1', a), ('net2', a), ('netB', b)):
        world[name], world['sub-' + name] = _network(api, name)
        host.network_ids.append(world[name]['id'])
    ext, world['sub-ext'] = gateway.external_network(admin, EXT_CIDR, EXT_GATEWAY)
    world['ext'] = ext
    host.network_ids.append(ext['id'])
    world['routerA'] = gateway.router_with(a, 'routerA', ext,
                                           [world['sub-net1'], world['sub-net2']])
    host.router_ids.append(world['routerA']['id'])
    world['routerB'] = gateway.router_with(b, 'routerB', ext, [world['sub-netB']])
    host.router_ids.append(world['routerB']['id'])
    for name in CIDRS:
        wait_for(lambda n=name: host.dhcp_served(world[n]['id']), timeout=30,
                 message='DHCP of %s served' % name)
    for name in ('routerA', 'routerB'):
        wait_for(lambda n=name: gateway.router_ports_active(admin, world[n]['id']),
                 timeout=30, message='ports of %s ACTIVE' % name)
    for vm, api, net in (('vm1', a, 'net1'), ('vm2', a, 'net2'), ('vmB', b, 'netB')):
        world[vm] = host.boot(api, world[net], world['sub-' + net], vm)
    # The guests' DHCP clients, once every port is up.
    world['leases'] = {vm: host.udhcpc(world[vm]) for vm in ('vm1', 'vm2', 'vmB')}
    gw = admin.show('router', world['routerA']['id'])['external_gateway_info']
    world['gw_ip'] = gw['external_fixed_ips'][0]['ip_address']


@pytest.fixture(scope='module')
def world(server, rpc_options, tmp_path_factory):
    """The host with its three agents, and the scenario made on it (see the module doc)."""
    base = tmp_path_factory.mktemp('gateway')
    world = {}
    with contextlib.ExitStack() as stack:
        lab = stack.enter_context(netlab_fixture.open_lab())
        factory = agents_fixture.AgentFactory(base / 'agents')
        host = gateway.GatewayHost(lab, factory, rpc_options, server, base / 'host')
        stack.callback(host.cleanup)
        stack.callback(lambda: agents_fixture.stop_agents(factory.agents))
        world['host'] = host.start()
        _build(host, world)
        yield world
    assert lab.leftovers() == []


def _pings(world, src, address):
    return world['host'].lab.ping_within(world[src].ns, address)


def test_instances_get_their_port_address_and_gateway_by_dhcp(world):
    host = world['host']
    for vm, net in (('vm1', 'net1'), ('vm2', 'net2'), ('vmB', 'netB')):
        instance, gateway_ip = world[vm], world['sub-' + net]['gateway_ip']
        assert world['leases'][vm] == {'ip': instance.ip, 'mask': '24', 'router': gateway_ip}
        assert ip_lib.IPDevice(instance.device, instance.ns).list_addresses(4) == [
            instance.ip + '/24']
        assert ip_lib.default_gateway(instance.ns) == gateway_ip
    # dnsmasq runs for the DHCP-enabled networks only, one each, in their namespaces.
    served = [world[n]['id'] for n in CIDRS]
    assert all(len(gateway.dnsmasq_processes(n)) == 1 for n in served)
    assert gateway.dnsmasq_processes(world['ext']['id']) == []
    assert host.agent_namespaces() == sorted(
        [devnames.dhcp_namespace(n) for n in served] +
        [devnames.router_namespace(world[r]['id']) for r in ('routerA', 'routerB')])


def test_router_joins_tenant_networks_without_nat(world):
    vm1, vm2 = world['vm1'], world['vm2']
    assert _pings(world, 'vm1', vm2.ip)
    assert gateway.peer_seen_from(world['host'].lab, vm1.ns, vm2.ns, vm2.ip) == vm1.ip


def test_outside_sees_the_router_gateway_address(world):
    lab, vm1 = world['host'].lab, world['vm1']
    assert world['gw_ip'] != EXT_GATEWAY and world['gw_ip'].startswith('192.168.0.')
    assert _pings(world, 'vm1', EXT_GATEWAY)
    assert gateway.peer_seen_from(lab, vm1.ns, world['outside'], EXT_GATEWAY) == world['gw_ip']


def test_floating_ip_reaches_the_instance_until_disassociated(world):
    lab, a, vm1, outside = world['host'].lab, world['a'], world['vm1'], world['outside']
    fip = gateway.floating_ip_for(lab, a, world['ext'], vm1, outside, EXT_GATEWAY)
    address = fip['floating_ip_address']

    resp = a.put('/v2.0/floatingips/%s' % fip['id'], {'floatingip': {'port_id': None}})
    assert resp.status == 200, resp
    namespace = devnames.router_namespace(world['routerA']['id'])
    wait_for(lambda: not any(address in r for r in gateway.iptables_rules(namespace)),
             message='floating IP rules removed')
    assert not lab.ping(outside, address)
    wait_for(lambda: a.show('floatingip', fip['id'])['status'] == 'DOWN',
             message='floating IP DOWN')
    # SNAT to the gateway address again.
    assert gateway.peer_seen_from(lab, vm1.ns, outside, EXT_GATEWAY) == world['gw_ip']

    # Associated again, for the restart test: DNAT rules that must survive it once.
    resp = a.put('/v2.0/floatingips/%s' % fip['id'],
                 {'floatingip': {'port_id': vm1.port['id']}})
    assert resp.status == 200, resp
    assert lab.ping_within(outside, address, seconds=10)
    wait_for(lambda: a.show('floatingip', fip['id'])['status'] == 'ACTIVE',
             message='floating IP ACTIVE again')
    world['fip'] = fip


def test_tenant_b_cannot_reach_tenant_a(world):
    lab, vmb = world['host'].lab, world['vmB']
    assert _pings(world, 'vmB', world['sub-netB']['gateway_ip'])    # B's own path works
    assert _pings(world, 'vmB', EXT_GATEWAY)
    for vm in ('vm1', 'vm2'):
        assert not lab.ping(vmb.ns, world[vm].ip)
        assert not lab.ping(world[vm].ns, vmb.ip)
    # Not even from inside A's subnet: B's port is on another VLAN.
    device = ip_lib.IPDevice(vmb.device, vmb.ns)
    device.add_address('10.0.0.250/24')
    try:
        assert not lab.ping(vmb.ns, world['vm1'].ip)
        assert not lab.ping(vmb.ns, world['sub-net1']['gateway_ip'])
    finally:
        device.delete_address('10.0.0.250/24')
    # What B reaches is A's floating IP, over the external network like anyone outside.
    if 'fip' in world:
        gw_b = world['admin'].show('router', world['routerB']['id'])[
            'external_gateway_info']['external_fixed_ips'][0]['ip_address']
        assert gateway.peer_seen_from(lab, vmb.ns, world['vm1'].ns,
                                      world['fip']['floating_ip_address']) == gw_b


def test_a_killed_dnsmasq_is_started_again_and_serves(world):
    host, vm1 = world['host'], world['vm1']
    network_id = world['net1']['id']
    pid = host.dnsmasq_pid(network_id)
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: host.dnsmasq_pid(network_id) not in (None, pid), timeout=15,
             message='dnsmasq started again')
    assert gateway.dnsmasq_processes(network_id) == [host.dnsmasq_pid(network_id)]
    assert host.udhcpc(vm1) == {'ip': vm1.ip, 'mask': '24',
                                'router': world['sub-net1']['gateway_ip']}
    assert ip_lib.default_gateway(vm1.ns) == world['sub-net1']['gateway_ip']
    assert _pings(world, 'vm1', world['vm2'].ip)


def test_restarted_gateway_agents_adopt_what_is_there(world):
    host, lab = world['host'], world['host'].lab
    served = [world[n]['id'] for n in CIDRS]
    pids = {n: gateway.dnsmasq_processes(n) for n in served}
    routers = [devnames.router_namespace(world[r]['id']) for r in ('routerA', 'routerB')]
    rules = {ns: gateway.iptables_rules(ns) for ns in routers}
    namespaces, ports = host.agent_namespaces(), host.agent_ports()
    assert all(len(p) == 1 for p in pids.values())
    assert any('DNAT' in r for r in rules[routers[0]])

    host.restart_gateway_agents()
    assert {n: gateway.dnsmasq_processes(n) for n in served} == pids
    assert host.agent_namespaces() == namespaces
    assert host.agent_ports() == ports
    for ns in routers:
        now = gateway.iptables_rules(ns)
        assert now == rules[ns]
        added = [r for r in now if r.startswith('-A')]
        assert len(added) == len(set(added)), ns
    assert _pings(world, 'vm1', world['vm2'].ip)
    assert gateway.peer_seen_from(lab, world['vm1'].ns, world['outside'],
                                  EXT_GATEWAY) == world['fip']['floating_ip_address']
    assert lab.ping_within(world['outside'], world['fip']['floating_ip_address'])
    vm2 = world['vm2']
    assert host.udhcpc(vm2)['ip'] == vm2.ip


def test_a_floating_ip_removed_while_the_l3_agent_is_down_goes_at_its_start(world):
    host, lab, a, outside = world['host'], world['host'].lab, world['a'], world['outside']
    fip = world['fip']
    address = fip['floating_ip_address']
    namespace = devnames.router_namespace(world['routerA']['id'])
    assert lab.ping_within(outside, address)
    assert address in gateway.conntrack(namespace)
    assert agents_fixture.stop_agents([host.l3_agent]) == [0]
    resp = a.put('/v2.0/floatingips/%s' % fip['id'], {'floatingip': {'port_id': None}})
    assert resp.status == 200, resp
    syncs = host.syncs()[1]
    host.l3_agent.start()
    wait_for(lambda: host.syncs()[1] > syncs, timeout=60, message='full sync after start')
    assert not any(address in r for r in gateway.iptables_rules(namespace))
    assert not any(address + '/32' in cidrs
                   for cidrs in ip_lib.device_addresses(namespace, 4).values())
    # Its connections go with it, as when it is removed while the agent runs.
    assert address not in gateway.conntrack(namespace)
    assert not lab.ping(outside, address)
    wait_for(lambda: a.show('floatingip', fip['id'])['status'] == 'DOWN',
             message='floating IP DOWN')


def test_deleting_everything_through_the_api_leaves_nothing(world):
    host, admin, a, b = world['host'], world['admin'], world['a'], world['b']
    agent_ports = host.agent_ports()
    assert agent_ports
    if 'fip' in world:
        a.remove('floatingip', world['fip']['id'])
    for vm, api in (('vm1', a), ('vm2', a), ('vmB', b)):
        host.unplug(world[vm])
        api.remove('port', world[vm].port['id'])
    # routerA's gateway first, as a tenant unsets it: its qg- device and OVS port go.
    namespace_a = devnames.router_namespace(world['routerA']['id'])
    [gw_port] = admin.list('ports', {'device_id': world['routerA']['id'],
                                     'device_owner': 'network:router_gateway'})
    assert 'og-' + gw_port['id'][:11] in agent_ports
    resp = a.put('/v2.0/routers/%s' % world['routerA']['id'],
                 {'router': {'external_gateway_info': {}}})
    assert resp.status == 200, resp
    wait_for(lambda: not any(d.startswith('qg-') for d in ip_lib.list_devices(namespace_a)),
             message='gateway device removed')
    wait_for(lambda: not any('NAT' in r for r in gateway.iptables_rules(namespace_a)),
             message='its NAT rules removed')
    assert 'og-' + gw_port['id'][:11] not in host.agent_ports()
    for router, api, subnets in (('routerA', a, ('net1', 'net2')), ('routerB', b, ('netB',))):
        gateway.delete_router(api, world[router], [world['sub-' + n] for n in subnets])
    for name, api in (('net1', a), ('net2', a), ('netB', b)):
        api.remove('network', world[name]['id'])
    admin.remove('network', world['ext']['id'])
    host.wait_all_removed(admin)
    assert host.int_br.vif_ports() == []
    assert [d for d in agent_ports if ip_lib.device_exists(d)] == []
    assert [vm for vm in ('vm1', 'vm2', 'vmB')
            if ip_lib.device_exists(world[vm].vif['devname'])] == []
