"""Ports, subnets and floating IPs -> Nova's network_info."""

import json

from nova_integration import nw_info

NET_ID = '5b0c3d4e-1111-4a2b-8c3d-000000000001'
PORT_ID = 'a1b2c3d4-2222-4a2b-8c3d-000000000002'
SUBNET4 = {'id': 's4', 'cidr': '10.0.0.0/24', 'ip_version': 4, 'gateway_ip': '10.0.0.1',
           'dns_nameservers': ['8.8.8.8'],
           'host_routes': [{'destination': '192.168.9.0/24', 'nexthop': '10.0.0.254'}]}
SUBNET6 = {'id': 's6', 'cidr': 'fd00::/64', 'ip_version': 6, 'gateway_ip': None,
           'dns_nameservers': [], 'host_routes': []}
NETWORK = {'id': NET_ID, 'name': 'net1', 'provider:network_type': 'vlan',
           'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150}
PORT = {'id': PORT_ID, 'tenant_id': 'tenant-a', 'mac_address': 'fa:16:3e:00:00:01',
        'status': 'ACTIVE', 'network_id': NET_ID,
        'fixed_ips': [{'subnet_id': 's4', 'ip_address': '10.0.0.11'},
                      {'subnet_id': 's6', 'ip_address': 'fd00::11'}],
        'binding:vif_type': 'ovs', 'binding:vif_details': {'port_filter': True},
        'binding:vnic_type': 'normal', 'binding:profile': {}}
FIP = {'floating_ip_address': '192.168.0.20', 'fixed_ip_address': '10.0.0.11'}


def _vif(port=PORT, **kw):
    return nw_info.vif(port, NETWORK, {'s4': SUBNET4, 's6': SUBNET6}, [FIP],
                       dhcp_servers={'s4': '10.0.0.2'}, **kw)


def test_ovs_vif_has_what_the_libvirt_driver_reads():
    vif = _vif()
    assert vif['id'] == PORT_ID and vif['address'] == 'fa:16:3e:00:00:01'
    assert vif['type'] == 'ovs' and vif['ovs_interfaceid'] == PORT_ID
    assert vif['devname'] == 'tapa1b2c3d4-22' and len(vif['devname']) == 14
    assert vif['details'] == {'port_filter': True} and vif['active'] is True
    network = vif['network']
    assert (network['id'], network['bridge'], network['label']) == (NET_ID, 'br-int', 'net1')
    assert network['meta']['tenant_id'] == 'tenant-a' and network['meta']['vlan'] == 150
    assert network['meta']['should_create_bridge'] is False


def test_subnets_ips_floating_ips_dns_routes():
    v4, v6 = _vif()['network']['subnets']
    assert (v4['cidr'], v4['version']) == ('10.0.0.0/24', 4)
    assert v4['gateway']['address'] == '10.0.0.1'
    [fixed] = v4['ips']
    assert (fixed['address'], fixed['type']) == ('10.0.0.11', 'fixed')
    assert [f['address'] for f in fixed['floating_ips']] == ['192.168.0.20']
    assert [d['address'] for d in v4['dns']] == ['8.8.8.8']
    assert v4['routes'][0]['cidr'] == '192.168.9.0/24'
    assert v4['routes'][0]['gateway']['address'] == '10.0.0.254'
    assert v4['meta'] == {'dhcp_server': '10.0.0.2'}
    assert v6['gateway']['address'] is None and v6['ips'][0]['version'] == 6


def test_linux_bridge_vif_uses_the_network_bridge():
    vif = _vif(dict(PORT, **{'binding:vif_type': 'bridge'}))
    assert vif['network']['bridge'] == 'brq5b0c3d4e-11'
    assert vif['network']['meta']['should_create_bridge'] is True
    assert vif['network']['meta']['should_create_vlan'] is True
    assert vif['ovs_interfaceid'] is None


def test_manager_decisions_override_binding():
    vif = _vif(bridge='br100', injected=True, bridge_interface='eth1', multi_host=True)
    meta = vif['network']['meta']
    assert vif['network']['bridge'] == 'br100'
    assert (meta['injected'], meta['bridge_interface'], meta['multi_host']) == \
        (True, 'eth1', True)


def test_network_info_serialises_and_has_the_legacy_form():
    info = nw_info.NetworkInfo([_vif()])
    assert json.loads(json.dumps(info)) == info
    assert [i['address'] for i in info.fixed_ips()] == ['10.0.0.11', 'fd00::11']
    assert [f['address'] for f in info.floating_ips()] == ['192.168.0.20']
    [(network, legacy)] = info.legacy()
    assert (network['cidr'], network['cidr_v6'], network['bridge']) == \
        ('10.0.0.0/24', 'fd00::/64', 'br-int')
    assert legacy['ips'] == [{'ip': '10.0.0.11', 'netmask': '255.255.255.0', 'enabled': '1'}]
    assert legacy['ip6s'] == [{'ip': 'fd00::11', 'netmask': 64, 'enabled': '1'}]
    assert (legacy['gateway'], legacy['broadcast'], legacy['dhcp_server']) == \
        ('10.0.0.1', '10.0.0.255', '10.0.0.2')
    assert legacy['mac'] == PORT['mac_address'] and legacy['vif_uuid'] == PORT_ID
