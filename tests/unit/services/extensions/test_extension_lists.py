"""Lists of ports and networks carry every extension's attributes, for a small page (its
children read by an IN list of ids) as for a big one (read through the page's own query)."""

import pytest

from netmgr import constants as const
from netmgr.db.queries import listing

HOST = 'compute-1'
GROUP_MAC = 'fa:16:3e:00:00:09'
PROFILE = {'pci_slot': '0000:05:00.1', 'capabilities': ['switchdev']}
UNBOUND = {'binding:host_id': '', 'binding:vif_type': 'unbound', 'binding:vif_details': {},
           'binding:vnic_type': 'normal', 'binding:profile': {}}
EXTENSION_ATTRIBUTES = ('port_security_enabled', 'security_groups', 'allowed_address_pairs',
                        *UNBOUND)


@pytest.fixture(params=['id list', 'page query'])
def page(request, monkeypatch):
    if request.param == 'page query':
        monkeypatch.setattr(listing, 'IN_LIST_MAX', 1)
    return request.param


@pytest.fixture
def client(make_client):
    client = make_client(**{'l2.network_vlan_ranges': ['physnet1:100:199'],
                            'l2.tenant_network_types': ['vlan']})
    client.services.agents.report_state({
        'agent_type': const.AGENT_TYPE_OVS, 'binary': 'netmgr-ovs-agent',
        'topic': const.TOPIC_L2_AGENT, 'host': HOST,
        'configurations': {'bridge_mappings': {'physnet1': 'br-eth1'},
                           'datapath_type': 'netdev', 'tunnel_types': []}})
    return client


@pytest.fixture
def ports(client):
    """[(port id, the extension attributes it must be listed with)], in name order."""
    net = client.create_network(name='n')
    client.create_subnet(network_id=net['id'], ip_version=4, cidr='10.0.0.0/24')
    groups = sorted(client.create_security_group(name='g%d' % i)['id'] for i in range(3))

    def make(name, **attrs):
        return client.create_port(network_id=net['id'], name=name, **attrs)

    plain = make('p0')
    default_group = [g['id'] for g in client.list_security_groups(name='default')]
    off = make('p1', port_security_enabled=False, security_groups=[])
    grouped = make('p2', security_groups=[groups[1], groups[2], groups[0]],
                   allowed_address_pairs=[{'ip_address': '10.0.0.60'},
                                          {'ip_address': '10.0.0.50', 'mac_address': GROUP_MAC},
                                          {'ip_address': '10.0.0.50'}])
    bound = make('p3', security_groups=[],
                 **{'binding:host_id': HOST, 'binding:profile': PROFILE})
    failed = make('p4', **{'binding:host_id': 'elsewhere'})
    on = {'port_security_enabled': True, 'allowed_address_pairs': []}
    return [
        (plain['id'], dict(UNBOUND, **on, security_groups=default_group)),
        (off['id'], dict(UNBOUND, port_security_enabled=False, security_groups=[],
                         allowed_address_pairs=[])),
        (grouped['id'], dict(UNBOUND, port_security_enabled=True, security_groups=groups,
                             allowed_address_pairs=[  # in (ip_address, mac_address) order
                                 {'ip_address': ip, 'mac_address': mac} for ip, mac in sorted([
                                     ('10.0.0.60', grouped['mac_address']),
                                     ('10.0.0.50', GROUP_MAC),
                                     ('10.0.0.50', grouped['mac_address'])])])),
        (bound['id'], dict(UNBOUND, **on, security_groups=[], **{
            'binding:host_id': HOST, 'binding:vif_type': 'ovs',
            'binding:vif_details': {'port_filter': True, 'ovs_hybrid_plug': True,
                                    'bridge_name': 'br-int', 'datapath_type': 'netdev'},
            'binding:profile': PROFILE})),
        (failed['id'], dict(UNBOUND, **on, security_groups=default_group, **{
            'binding:host_id': 'elsewhere', 'binding:vif_type': 'binding_failed'})),
    ]


def _extensions(port):
    return {k: port[k] for k in EXTENSION_ATTRIBUTES}


def test_listed_ports_carry_their_extension_attributes(client, ports, page):
    listed = client.list_ports()
    assert [(p['id'], _extensions(p)) for p in listed] == sorted(ports)
    for port in listed:
        assert port == client.show_port(port['id'])


def test_a_limited_page_carries_its_ports_extension_attributes(client, ports, page):
    first = client.list('ports', sorts=[('name', True)], limit=2)
    second = client.list('ports', sorts=[('name', True)], limit=2, marker=first[-1]['id'])
    last, _more = client.ops.list(client.context, 'ports', sorts=[('name', True)], limit=2,
                                  marker=ports[2][0], page_reverse=True)
    assert [(p['id'], _extensions(p)) for p in first + second] == ports[:4]
    assert [(p['id'], _extensions(p)) for p in last] == ports[:2]


def test_listed_networks_carry_their_extension_attributes(client, page):
    external = client.create_network(name='ext', **{'router:external': True})
    off = client.create_network(name='off', port_security_enabled=False)
    provider = client.create_network(name='prov', **{
        'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1',
        'provider:segmentation_id': 150})
    listed = {n['id']: n for n in client.list_networks()}
    assert listed[external['id']]['router:external'] is True
    assert listed[off['id']]['router:external'] is False
    assert [listed[n['id']]['port_security_enabled'] for n in (external, off, provider)] == \
        [True, False, True]
    assert listed[provider['id']]['provider:segmentation_id'] == 150
    assert listed[off['id']]['provider:network_type'] == 'vlan'
    for network in listed.values():
        assert network == client.show_network(network['id'])
