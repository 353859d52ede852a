"""netmgr-l3-agent on one simulated host (real RabbitMQ, OVS userspace datapath, iptables,
namespaces, separate OVS and L3 agent processes): a router between two tenant networks with a
gateway on a flat provider network (physnet1), an "outside" host on that network's physical
bridge, instances as namespaces. Routing, SNAT to the gateway IP, floating IPs, router
removal, an agent restart and a stale qrouter- namespace."""

import subprocess
import uuid

import pytest

from netmgr.agent.linux import ip_lib
from tests.fixtures.agents import AgentProcess, port_status, simulated_host, wait_for
from tests.fixtures import gateway
from tests.fixtures.gateway import peer_seen_from

pytestmark = pytest.mark.functional

EXT_CIDR, EXT_GATEWAY = '172.24.9.0/24', '172.24.9.1'
FULL_SYNC = 'full sync: 1 router(s)'


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


def start_l3_agent(agent_factory, rpc_options, host_name, int_br, directory):
    return agent_factory.add(AgentProcess.l3(
        directory, host_name, rpc_options,
        {'integration_bridge': int_br.name, 'datapath_type': 'netdev'}))


@pytest.fixture
def routers_made():
    """Router ids a test made: their namespaces are removed at the end whatever happened
    (the agent removes them itself; this is the safety net)."""
    made = []
    yield made
    for router_id in made:
        ip_lib.delete_namespace('qrouter-' + router_id)


@pytest.fixture(scope='module')
def ext(server):
    """The external network: flat on physnet1 (one per server: physnet1 is its only flat
    network)."""
    api = server.client()
    network = api.create('network', name='ext', **{
        'provider:network_type': 'flat', 'provider:physical_network': 'physnet1',
        'router:external': True})
    api.create('subnet', network_id=network['id'], cidr=EXT_CIDR, ip_version=4,
               gateway_ip=EXT_GATEWAY)
    return network


@pytest.fixture
def lab(netlab, server, ext, agent_factory, rpc_options, tmp_path):
    """A host with an OVS agent and an L3 agent, the external network and the outside."""
    api = server.client()
    (name, int_br, _ovs), phys_br = simulated_host(netlab, agent_factory, rpc_options,
                                                   server, 1)
    l3 = start_l3_agent(agent_factory, rpc_options, name, int_br, tmp_path / 'l3')
    wait_for(lambda: api.list('agents', {'host': name, 'agent_type': 'L3 agent'}),
             message='L3 agent report')
    outside = netlab.namespace()
    netlab.veth_into(outside, phys_br, address=EXT_GATEWAY + '/24')
    return {'api': api, 'host': (name, int_br, _ovs), 'ext': ext, 'outside': outside,
            'l3': l3, 'tmp': tmp_path, 'int_br': int_br}


def tenant_network(api, cidr):
    network = api.create('network', name='net-' + cidr)
    subnet = api.create('subnet', network_id=network['id'], cidr=cidr, ip_version=4)
    return network, subnet


def instance(netlab, api, host, network, subnet):
    """A port bound to the host, an instance namespace plugged like Nova's OVS VIF with the
    port's address and a default route via the subnet's gateway."""
    name, int_br, _ = host
    port = api.create('port', network_id=network['id'], **{'binding:host_id': name})
    address = port['fixed_ips'][0]['ip_address']
    ns = netlab.namespace()
    veth = netlab.veth_into(ns, int_br, address=address + '/24', external_ids={
        'iface-id': port['id'], 'attached-mac': port['mac_address'], 'vm-uuid': ns,
        'iface-status': 'active'})
    netlab.executor.execute(['ip', 'link', 'set', veth.inner, 'address',
                             port['mac_address']], namespace=ns)
    ip_lib.set_default_route(subnet['gateway_ip'], namespace=ns)
    return port, ns, address


def make_router(api, lab, subnets, routers_made):
    router = gateway.router_with(api, 'r1', lab['ext'], subnets)
    routers_made.append(router['id'])
    return router


def conntrack(namespace):
    return subprocess.run(['ip', 'netns', 'exec', namespace, 'conntrack', '-L'],
                          capture_output=True, text=True, check=True).stdout


def nat_rules(namespace):
    out = subprocess.run(['ip', 'netns', 'exec', namespace, 'iptables-save', '-t', 'nat'],
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.startswith('-A')]


def test_routing_snat_floating_ips_and_removal(netlab, lab, routers_made):
    api, host, outside = lab['api'], lab['host'], lab['outside']
    net1, sub1 = tenant_network(api, '10.0.0.0/24')
    net2, sub2 = tenant_network(api, '10.0.1.0/24')
    router = make_router(api, lab, [sub1, sub2], routers_made)
    namespace = 'qrouter-' + router['id']
    port1, vm1, ip1 = instance(netlab, api, host, net1, sub1)
    port2, vm2, ip2 = instance(netlab, api, host, net2, sub2)
    wait_for(lambda: gateway.router_ports_active(api, router['id']), message='router ports ACTIVE')
    for port in (port1, port2):
        wait_for(lambda p=port: port_status(api, p['id']) == 'ACTIVE', message='ACTIVE')
    assert ip_lib.namespace_exists(namespace)
    assert ip_lib.get_sysctl(netlab.executor, 'net.ipv4.ip_forward', namespace) == '1'

    # Between the tenant networks, through the router, without SNAT.
    assert netlab.ping_within(vm1, ip2)
    assert peer_seen_from(netlab, vm1, vm2, ip2) == ip1

    # Out to the external network: SNAT to the router's gateway address.
    gw = api.show('router', router['id'])['external_gateway_info']
    gw_ip = gw['external_fixed_ips'][0]['ip_address']
    assert netlab.ping_within(vm1, EXT_GATEWAY)
    assert peer_seen_from(netlab, vm1, outside, EXT_GATEWAY) == gw_ip

    # A floating IP: reachable from outside (DNAT) and the instance's source outside.
    fip = api.create('floatingip', floating_network_id=lab['ext']['id'], port_id=port2['id'])
    address = fip['floating_ip_address']
    assert netlab.ping_within(outside, address, seconds=10)
    assert peer_seen_from(netlab, vm2, outside, EXT_GATEWAY) == address
    assert peer_seen_from(netlab, outside, vm2, address) == EXT_GATEWAY
    assert address in conntrack(namespace)

    # Disassociated: no longer reachable, the address leaves the gateway device.
    resp = api.put('/v2.0/floatingips/%s' % fip['id'], {'floatingip': {'port_id': None}})
    assert resp.status == 200, resp
    wait_for(lambda: not any(address in line for line in nat_rules(namespace)),
             message='floating IP rules removed')
    wait_for(lambda: address not in conntrack(namespace), message='its connections forgotten')
    assert not netlab.ping(outside, address)
    gw_device = [d for d in ip_lib.list_devices(namespace) if d.startswith('qg-')][0]
    assert address + '/32' not in ip_lib.IPDevice(gw_device, namespace).list_addresses()

    # Router removal: the namespace and its devices on br-int go.
    api.remove('floatingip', fip['id'])
    for subnet in (sub1, sub2):
        resp = api.put('/v2.0/routers/%s/remove_router_interface' % router['id'],
                       {'subnet_id': subnet['id']})
        assert resp.status == 200, resp
    api.remove('router', router['id'])
    wait_for(lambda: not ip_lib.namespace_exists(namespace), message='namespace removed')
    router_ports = [p for p in lab['int_br'].port_names() if p[:3] in ('or-', 'og-')]
    assert router_ports == []
    assert not netlab.ping(vm1, ip2)


def test_restart_keeps_rules_once_and_removes_stale_namespaces(netlab, lab, routers_made,
                                                               agent_factory, rpc_options):
    api, host, outside = lab['api'], lab['host'], lab['outside']
    net1, sub1 = tenant_network(api, '10.0.0.0/24')
    router = make_router(api, lab, [sub1], routers_made)
    namespace = 'qrouter-' + router['id']
    port1, vm1, ip1 = instance(netlab, api, host, net1, sub1)
    fip = api.create('floatingip', floating_network_id=lab['ext']['id'], port_id=port1['id'])
    wait_for(lambda: gateway.router_ports_active(api, router['id']), message='router ports ACTIVE')
    assert netlab.ping_within(outside, fip['floating_ip_address'], seconds=10)
    rules = nat_rules(namespace)
    devices = ip_lib.list_devices(namespace)
    assert len(rules) == len(set(rules)) and any('DNAT' in line for line in rules)

    assert lab['l3'].stop() == 0
    syncs = lab['l3'].log_text().count(FULL_SYNC)
    stale_id = str(uuid.uuid4())
    routers_made.append(stale_id)
    ip_lib.create_namespace('qrouter-' + stale_id)
    agent = start_l3_agent(agent_factory, rpc_options, host[0], lab['int_br'],
                           lab['tmp'] / 'l3')
    wait_for(lambda: agent.log_text().count(FULL_SYNC) > syncs, timeout=30,
             message='full sync after the restart')
    assert not ip_lib.namespace_exists('qrouter-' + stale_id)
    assert sorted(nat_rules(namespace)) == sorted(rules)
    assert ip_lib.list_devices(namespace) == devices
    assert [n for n in ip_lib.list_namespaces() if n == namespace] == [namespace]
    assert netlab.ping(outside, fip['floating_ip_address'])
    assert netlab.ping_within(vm1, EXT_GATEWAY)

    # Another host's L3 agent on this machine: the router is not its own (its ports are bound
    # to the first host) and neither is the namespace (plugged into another br-int).
    other = start_l3_agent(agent_factory, rpc_options, host[0] + 'b', netlab.bridge(),
                           lab['tmp'] / 'l3b')
    wait_for(lambda: 'full sync: 0 router(s)' in other.log_text(), timeout=30,
             message='the other agent\'s full sync')
    assert ip_lib.namespace_exists(namespace)
    assert sorted(nat_rules(namespace)) == sorted(rules)
    assert netlab.ping(outside, fip['floating_ip_address'])
