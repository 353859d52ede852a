"""MAC addresses: generation under base_mac or mac_ranges (netmgr/ipam/mac.py), and the
per-network uniqueness the port service enforces."""

import random

import netaddr
import pytest

from netmgr import exceptions
from netmgr.ipam import mac as ipam_mac


def _octets(mac):
    return mac.split(':')


def _sample(generator, n=300):
    return [generator.candidate() for _ in range(n)]


def test_base_mac_keeps_the_oui_and_randomises_the_rest():
    macs = _sample(ipam_mac.MacGenerator('fa:16:3e:00:00:00', rng=random.Random(7)))
    assert {tuple(_octets(m)[:3]) for m in macs} == {('fa', '16', '3e')}
    # Neutron: a 00 fourth octet is random too.
    assert len({_octets(m)[3] for m in macs}) > 50
    assert len({_octets(m)[5] for m in macs}) > 50


def test_base_mac_keeps_a_nonzero_fourth_octet():
    macs = _sample(ipam_mac.MacGenerator('fa:16:3e:4f:00:00', rng=random.Random(7)))
    assert {tuple(_octets(m)[:4]) for m in macs} == {('fa', '16', '3e', '4f')}
    assert len({m for m in macs}) > 250


def test_base_mac_fifth_and_sixth_octets_are_always_random():
    # As Neutron's get_random_mac: only the first four octets of base_mac can be kept.
    macs = _sample(ipam_mac.MacGenerator('fa:16:3e:4f:5e:6d', rng=random.Random(7)))
    assert len({_octets(m)[4] for m in macs}) > 50


def test_generated_macs_are_valid_unicast_in_canonical_form():
    for mac in _sample(ipam_mac.MacGenerator('fa:16:3e:00:00:00', rng=random.Random(3))):
        assert mac == str(netaddr.EUI(mac, dialect=netaddr.mac_unix_expanded))
        assert not int(_octets(mac)[0], 16) & 1


def test_mac_ranges_replace_base_mac():
    generator = ipam_mac.MacGenerator(
        'fa:16:3e:00:00:00', ranges=['fa:16:3e:aa:00:00-fa:16:3e:aa:00:03',
                                     '02:00:00:00:00:10-02:00:00:00:00:10'],
        rng=random.Random(5))
    assert set(_sample(generator)) == {'fa:16:3e:aa:00:00', 'fa:16:3e:aa:00:01',
                                       'fa:16:3e:aa:00:02', 'fa:16:3e:aa:00:03',
                                       '02:00:00:00:00:10'}


@pytest.mark.parametrize('base_mac, ranges', [
    ('fa:16:3e:00:00', ()),
    ('fa:16:3e:00:00:00', ['fa:16:3e:aa:00:00']),
    ('fa:16:3e:00:00:00', ['fa:16:3e:aa:00:09-fa:16:3e:aa:00:01']),
])
def test_bad_mac_configuration_is_rejected(base_mac, ranges):
    with pytest.raises(exceptions.InvalidInput):
        ipam_mac.MacGenerator(base_mac, ranges=ranges)


# ---- through the port service -------------------------------------------------------------

def test_ports_get_macs_under_the_configured_base_mac(make_client):
    client = make_client(base_mac='fa:16:3e:4f:00:00')
    network = client.create_network()
    macs = {client.create_port(network_id=network['id'])['mac_address'] for _ in range(20)}
    assert len(macs) == 20
    assert all(m.startswith('fa:16:3e:4f:') for m in macs)


def test_user_mac_in_use_on_the_same_network(client, count_rows):
    network = client.create_network()
    port = client.create_port(network_id=network['id'], mac_address='FA:16:3E:12:34:56')
    assert port['mac_address'] == 'fa:16:3e:12:34:56'
    for spelling in ('fa:16:3e:12:34:56', 'fa-16-3e-12-34-56'):
        with pytest.raises(exceptions.MacAddressInUse) as info:
            client.create_port(network_id=network['id'], mac_address=spelling)
        assert isinstance(info.value, exceptions.Conflict)
    assert count_rows('ports') == 1


def test_user_mac_allowed_on_another_network(client):
    first, second = client.create_network(), client.create_network()
    client.create_port(network_id=first['id'], mac_address='fa:16:3e:12:34:56')
    port = client.create_port(network_id=second['id'], mac_address='fa:16:3e:12:34:56')
    assert port['mac_address'] == 'fa:16:3e:12:34:56'


def test_mac_of_a_deleted_port_can_be_reused(client):
    network = client.create_network()
    port = client.create_port(network_id=network['id'], mac_address='fa:16:3e:12:34:56')
    client.delete_port(port['id'])
    assert client.create_port(network_id=network['id'],
                              mac_address='fa:16:3e:12:34:56')['mac_address'] == \
        'fa:16:3e:12:34:56'


def test_generation_avoids_macs_taken_on_the_network(make_client):
    client = make_client(mac_ranges=['fa:16:3e:aa:00:00-fa:16:3e:aa:00:01'],
                         mac_generation_retries=200)
    network = client.create_network()
    client.create_port(network_id=network['id'], mac_address='fa:16:3e:aa:00:00')
    assert client.create_port(network_id=network['id'])['mac_address'] == 'fa:16:3e:aa:00:01'


def test_exhausted_generation_is_mac_address_generation_failure(make_client, count_rows):
    client = make_client(mac_ranges=['fa:16:3e:aa:00:07-fa:16:3e:aa:00:07'])
    network = client.create_network()
    subnet = client.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
    assert client.create_port(network_id=network['id'])['mac_address'] == 'fa:16:3e:aa:00:07'
    with pytest.raises(exceptions.MacAddressGenerationFailure) as info:
        client.create_port(network_id=network['id'])
    assert isinstance(info.value, exceptions.ServiceUnavailable)
    assert info.value.kwargs['net_id'] == network['id']
    assert count_rows('ports', on=client) == 1
    assert count_rows('ipallocations', on=client) == 1
    assert client.count_free_ips(subnet['id']) == 252
    # The same MAC is free on another network.
    other = client.create_network()
    assert client.create_port(network_id=other['id'])['mac_address'] == 'fa:16:3e:aa:00:07'


def test_generation_tries_mac_generation_retries_times(make_client):
    client = make_client(mac_ranges=['fa:16:3e:aa:00:07-fa:16:3e:aa:00:07'],
                         mac_generation_retries=3)
    network = client.create_network()
    client.create_port(network_id=network['id'])
    generator = client.services.ports.addresses.macs
    calls = []
    real = generator.candidate
    generator.candidate = lambda: calls.append(1) or real()
    with pytest.raises(exceptions.MacAddressGenerationFailure):
        client.create_port(network_id=network['id'])
    assert len(calls) == 3


@pytest.mark.parametrize('mac', ['01:00:5e:00:00:01', '00:00:00:00:00:00', 'fa:16:3e:00:00'])
def test_invalid_user_mac_is_400(client, mac):
    network = client.create_network()
    with pytest.raises(exceptions.InvalidInput) as info:
        client.create_port(network_id=network['id'], mac_address=mac)
    assert 'Invalid input for mac_address' in str(info.value)
