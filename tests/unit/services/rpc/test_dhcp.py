"""The server's DHCP RPC: network infos, the DHCP port of an agent (made, completed, given
back), over the in-process transport as an agent calls it."""

import pytest

from netmgr.agent.dhcp import device as dhcp_device
from netmgr import context as ctx
from netmgr.rpc import dhcp_plugin_api
from netmgr.rpc import transport as rpc_transport
from netmgr.services.rpc import dhcp
from netmgr.services.rpc import server

HOST = 'gw-1'


def _network(client, name='net', cidrs=('10.0.0.0/24',), enable_dhcp=True):
    network = client.create('networks', 'network', {'name': name})
    subnets = [client.create('subnets', 'subnet', {
        'network_id': network['id'], 'cidr': cidr, 'ip_version': 4,
        'enable_dhcp': enable_dhcp}) for cidr in cidrs]
    return network, subnets


@pytest.fixture
def endpoint(client):
    services = client.services
    return dhcp.DhcpRpcEndpoint(services.networks, services.subnets, services.ports)


def test_active_networks_are_those_with_a_dhcp_subnet(client, endpoint):
    served, [subnet] = _network(client, 'served')
    _network(client, 'off', ('10.1.0.0/24',), enable_dhcp=False)
    _network(client, 'empty', ())
    port = client.create('ports', 'port', {'network_id': served['id']})
    [info] = endpoint.get_active_networks_info(ctx.admin_context(), host=HOST)
    assert info['id'] == served['id']
    assert [s['id'] for s in info['subnets']] == [subnet['id']]
    assert info['subnets'][0]['gateway_ip'] == '10.0.0.1'
    assert [p['id'] for p in info['ports']] == [port['id']]
    assert info['ports'][0]['fixed_ips'] == port['fixed_ips']


def test_network_infos_carry_the_tunnel_mtu_dnsmasq_serves(client, endpoint):
    """The DHCP agent hands the network's mtu to dnsmasq (option 26): a tunnel network's."""
    mtus = {}
    for network_type in ('vxlan', 'gre', 'geneve'):
        network = client.create('networks', 'network', {
            'name': network_type, 'provider:network_type': network_type})
        client.create('subnets', 'subnet', {'network_id': network['id'], 'ip_version': 4,
                                            'cidr': '10.9.0.0/24'})
        mtus[network['id']] = network['mtu']
        assert endpoint.get_network_info(None, network['id'])['mtu'] == network['mtu']
    infos = endpoint.get_active_networks_info(ctx.admin_context(), host=HOST)
    assert {i['id']: i['mtu'] for i in infos} == mtus
    assert sorted(mtus.values()) == [1450, 1450, 1458]


def test_network_info_of_a_missing_network_is_none(client, endpoint):
    network, _ = _network(client)
    assert endpoint.get_network_info(None, network['id'])['id'] == network['id']
    assert endpoint.get_network_info(None, 'no-such-network') is None


def test_dhcp_port_is_made_once_bound_to_the_host_with_an_address_per_dhcp_subnet(
        client, endpoint):
    network, subnets = _network(client, cidrs=('10.0.0.0/24', '10.1.0.0/24'))
    device_id = dhcp_device.device_id(HOST, network['id'])
    port = endpoint.get_dhcp_port(None, network['id'], device_id, host=HOST)
    assert port['device_owner'] == 'network:dhcp' and port['device_id'] == device_id
    assert port['binding:host_id'] == HOST
    assert sorted(ip['subnet_id'] for ip in port['fixed_ips']) == sorted(
        s['id'] for s in subnets)
    again = endpoint.get_dhcp_port(None, network['id'], device_id, host=HOST)
    assert again['id'] == port['id'] and again['fixed_ips'] == port['fixed_ips']
    assert len(client.list('ports', network_id=network['id'])) == 1


def test_dhcp_port_follows_the_dhcp_subnets(client, endpoint):
    network, [first] = _network(client)
    device_id = dhcp_device.device_id(HOST, network['id'])
    port = endpoint.get_dhcp_port(None, network['id'], device_id, host=HOST)
    second = client.create('subnets', 'subnet', {'network_id': network['id'],
                                                 'cidr': '10.2.0.0/24', 'ip_version': 4})
    port = endpoint.get_dhcp_port(None, network['id'], device_id, host=HOST)
    assert sorted(ip['subnet_id'] for ip in port['fixed_ips']) == sorted(
        [first['id'], second['id']])
    client.update('subnets', 'subnet', second['id'], {'enable_dhcp': False})
    port = endpoint.get_dhcp_port(None, network['id'], device_id, host=HOST)
    assert [ip['subnet_id'] for ip in port['fixed_ips']] == [first['id']]
    client.update('subnets', 'subnet', first['id'], {'enable_dhcp': False})
    assert endpoint.get_dhcp_port(None, network['id'], device_id, host=HOST) is None
    assert endpoint.get_dhcp_port(None, 'no-such-network', device_id, host=HOST) is None


def test_release_deletes_the_port_once(client, endpoint):
    network, _ = _network(client)
    device_id = dhcp_device.device_id(HOST, network['id'])
    endpoint.get_dhcp_port(None, network['id'], device_id, host=HOST)
    assert endpoint.release_dhcp_port(None, network['id'], device_id, host=HOST)
    assert client.list('ports', network_id=network['id']) == []
    assert not endpoint.release_dhcp_port(None, network['id'], device_id, host=HOST)


def test_agent_client_reaches_the_endpoint_over_rpc(client, make_conf):
    network, _ = _network(client)
    conf = make_conf(transport_url='fake://', host='server-1')
    transport = rpc_transport.get_transport(conf)
    service = server.RpcService(conf, client.services, transport=transport).start()
    try:
        api = dhcp_plugin_api.DhcpPluginApi(transport, HOST, timeout=10)
        context = ctx.admin_context()
        [info] = api.get_active_networks_info(context)
        assert info['id'] == network['id']
        device_id = dhcp_device.device_id(HOST, network['id'])
        port = api.get_dhcp_port(context, network['id'], device_id)
        assert port['binding:host_id'] == HOST
        assert api.get_network_info(context, network['id'])['ports'][0]['id'] == port['id']
        assert api.release_dhcp_port(context, network['id'], device_id)
    finally:
        service.stop()
        transport.cleanup()
