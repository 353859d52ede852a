"""Device and namespace names made from ids."""

import pytest

from netmgr import devnames

PORT_ID = 'a1b2c3d4-2222-4a2b-8c3d-000000000002'
ID_PREFIXES = (devnames.TAP, devnames.ROUTER_INTERFACE, devnames.ROUTER_GATEWAY,
               devnames.HYBRID_BRIDGE, devnames.HYBRID_BRIDGE_END, devnames.HYBRID_OVS_END,
               devnames.NETWORK_BRIDGE)


def test_names_fit_linux_and_match_nova():
    assert devnames.tap_name(PORT_ID) == 'tapa1b2c3d4-22'
    assert devnames.hybrid_bridge_name(PORT_ID) == 'qbra1b2c3d4-22'
    assert devnames.hybrid_bridge_end_name(PORT_ID) == 'qvba1b2c3d4-22'
    assert devnames.hybrid_ovs_end_name(PORT_ID) == 'qvoa1b2c3d4-22'
    assert all(len(n) <= 15 for n in (devnames.tap_name(PORT_ID),
                                      devnames.hybrid_bridge_name(PORT_ID)))


@pytest.mark.parametrize('prefix', ID_PREFIXES)
def test_a_name_is_its_prefix_and_the_id_prefix_the_server_resolves(prefix):
    name = devnames.device_name(prefix, PORT_ID)
    assert name == prefix + PORT_ID[:devnames.ID_PREFIX_LEN]
    assert len(name) == devnames.NAME_LEN < devnames.MAX_LEN


def test_router_network_and_vxlan_names():
    assert devnames.router_interface_name(PORT_ID) == 'qr-a1b2c3d4-22'
    assert devnames.router_gateway_name(PORT_ID) == 'qg-a1b2c3d4-22'
    assert devnames.network_bridge_name(PORT_ID) == 'brqa1b2c3d4-22'
    assert devnames.vxlan_name(301) == devnames.vxlan_name('301') == 'vxlan-301'
    assert len(devnames.vxlan_name(2 ** 24 - 1)) <= devnames.MAX_LEN


def test_a_tap_gives_back_the_start_of_its_port_id():
    tap = devnames.tap_name(PORT_ID)
    assert devnames.is_tap(tap) and not devnames.is_tap('brqa1b2c3d4-22')
    assert devnames.port_id_prefix(tap) == PORT_ID[:devnames.ID_PREFIX_LEN]
    assert len(devnames.port_id_prefix(tap)) == devnames.ID_PREFIX_LEN


def test_patch_names_stay_short_and_distinct():
    assert devnames.patch_name(devnames.INT_PATCH, 'br-eth1') == 'int-br-eth1'
    assert devnames.patch_name(devnames.PHYS_PATCH, 'br-eth1') == 'phy-br-eth1'
    long_a = devnames.patch_name(devnames.INT_PATCH, 'nl12345-h1-phys')
    long_b = devnames.patch_name(devnames.INT_PATCH, 'nl12345-h2-phys')
    assert len(long_a) == devnames.MAX_LEN and long_a.startswith('int-') and long_a != long_b
    assert devnames.patch_name(devnames.INT_PATCH, 'nl12345-h1-phys') == long_a


def test_the_peer_of_a_namespace_device_maps_one_to_one():
    assert devnames.peer_name('tapa1b2c3d4-22') == 'oapa1b2c3d4-22'
    assert devnames.peer_name('oapa1b2c3d4-22') == 'papa1b2c3d4-22'
    assert devnames.peer_name('qr-a1b2c3d4-22') == 'or-a1b2c3d4-22'
    assert len(devnames.peer_name('x' * 20)) == devnames.MAX_LEN


def test_namespaces_and_the_ids_they_are_named_after():
    assert devnames.dhcp_namespace('net-1') == 'qdhcp-net-1'
    assert devnames.network_of_dhcp_namespace('qdhcp-net-1') == 'net-1'
    assert devnames.network_of_dhcp_namespace('qrouter-r1') is None
    assert devnames.router_namespace('abc') == 'qrouter-abc'
    assert devnames.router_of_namespace('qrouter-abc') == 'abc'
    assert devnames.router_of_namespace('qdhcp-x') is None


def test_tunnel_ports_are_named_after_type_and_remote_address():
    assert devnames.tunnel_port_name('vxlan', '192.0.2.2') == 'vxlan-c0000202'
    assert devnames.tunnel_port_name('gre', '198.18.0.1') == 'gre-c6120001'
    assert devnames.tunnel_port_name('geneve', '10.0.0.255') == 'gnv-0a0000ff'
    v6 = devnames.tunnel_port_name('vxlan', '2001:db8::2')
    assert v6.startswith('vxlan-') and len(v6) == 14
    assert v6 != devnames.tunnel_port_name('vxlan', '2001:db8::3')
    assert max(len(devnames.tunnel_port_name(t, '255.255.255.255'))
               for t in devnames.TUNNEL_PORT) <= devnames.MAX_LEN
