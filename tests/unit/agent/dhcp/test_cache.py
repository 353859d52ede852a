"""The DHCP agent's cache of served networks, kept current by port notifications."""

from netmgr.agent.dhcp import cache as dhcp_cache


def _subnet(sid, enable_dhcp=True):
    return {'id': sid, 'cidr': '10.0.0.0/24', 'ip_version': 4, 'enable_dhcp': enable_dhcp,
            'ipv6_address_mode': None}


def _port(pid, ip, network='net-1', mac='fa:16:3e:00:00:01'):
    return {'id': pid, 'network_id': network, 'mac_address': mac,
            'fixed_ips': [{'subnet_id': 's1', 'ip_address': ip}]}


def _info(subnets, admin_state_up=True, ports=()):
    return {'id': 'net-1', 'name': 'n', 'admin_state_up': admin_state_up,
            'subnets': subnets, 'ports': list(ports)}


def test_a_network_is_served_when_up_with_a_dhcp_subnet():
    cache = dhcp_cache.NetworkCache()
    model = cache.put(_info([_subnet('s2'), _subnet('s1'), _subnet('off', False)]))
    assert model.served() and [s['id'] for s in model.dhcp_subnets()] == ['s1', 's2']
    assert model.network == {'id': 'net-1', 'name': 'n', 'admin_state_up': True}
    assert not cache.put(_info([_subnet('s1')], admin_state_up=False)).served()
    assert not cache.put(_info([_subnet('off', False)])).served()


def test_ports_of_known_networks_only_with_the_previous_version():
    cache = dhcp_cache.NetworkCache()
    model = cache.put(_info([_subnet('s1')], ports=[_port('p1', '10.0.0.5')]))
    assert cache.put_port(_port('p9', '10.9.0.5', network='net-9')) == (None, None)
    moved = _port('p1', '10.0.0.6')
    assert cache.put_port(moved) == (model, _port('p1', '10.0.0.5'))
    assert cache.put_port(_port('p2', '10.0.0.7')) == (model, None)
    assert cache.remove_port('net-1', 'p1') == (model, moved)
    assert cache.remove_port('net-1', 'p1') == (model, None)
    assert cache.remove_port('net-9', 'p1') == (None, None)
    assert cache.counts() == {'networks': 1, 'subnets': 1, 'ports': 1}
    assert cache.ids() == {'net-1'} and len(cache) == 1
    assert cache.remove('net-1') is model and cache.get('net-1') is None


def test_host_entries_are_the_mac_and_the_addresses_in_any_order():
    port = _port('p1', '10.0.0.5')
    port['fixed_ips'].append({'subnet_id': 's0', 'ip_address': '10.1.0.5'})
    reordered = dict(port, fixed_ips=list(reversed(port['fixed_ips'])), name='renamed')
    assert dhcp_cache.host_entries(port) == dhcp_cache.host_entries(reordered) == (
        'fa:16:3e:00:00:01', (('s0', '10.1.0.5'), ('s1', '10.0.0.5')))
    assert dhcp_cache.host_entries(dict(port, mac_address='fa:16:3e:00:00:02')) != \
        dhcp_cache.host_entries(port)
