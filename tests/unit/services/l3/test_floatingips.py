"""floatingips through the Python API (in-memory SQLite): allocation, association through a
router, what undoes an association, router consistency, tenancy, listing."""

import pytest

from netmgr import constants as const
from netmgr import exceptions
from tests.unit.conftest import as_tenant

GW = 'external_gateway_info'


@pytest.fixture
def ext_net(client):
    network = client.create_network(name='ext', **{'router:external': True})
    client.create_subnet(network_id=network['id'], ip_version=4, cidr='172.24.4.0/24',
                         name='ext-v4')
    return network


@pytest.fixture
def tenant(client):
    return as_tenant(client, 'tenant-a')


@pytest.fixture
def other(client):
    return as_tenant(client, 'tenant-b')


@pytest.fixture
def lan(tenant, ext_net):
    """tenant-a's subnet behind tenant-a's router, whose gateway is on ext_net."""
    network = tenant.create_network(name='lan')
    subnet = tenant.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
    router = tenant.create_router(name='r', **{GW: {'network_id': ext_net['id']}})
    tenant.add_router_interface(router['id'], subnet_id=subnet['id'])
    return {'network': network, 'subnet': subnet, 'router': router}


@pytest.fixture
def vm_port(tenant, lan):
    return tenant.create_port(network_id=lan['network']['id'], device_owner='compute:nova')


def _fip_port(client, fip):
    ports = client.list_ports(device_id=fip['id'])
    assert len(ports) == 1
    return ports[0]


# ---- allocation ------------------------------------------------------------------------------

def test_create_allocates_an_address_with_its_own_port(client, tenant, ext_net, count_rows):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], description='web')
    assert fip['tenant_id'] == fip['project_id'] == 'tenant-a'
    assert fip['floating_ip_address'] == '172.24.4.2' and fip['description'] == 'web'
    assert fip['status'] == 'DOWN' and fip['floating_network_id'] == ext_net['id']
    assert fip['port_id'] is None and fip['router_id'] is None
    assert fip['fixed_ip_address'] is None and 'subnet_id' not in fip
    port = _fip_port(client, fip)
    assert port['device_owner'] == const.DEVICE_OWNER_FLOATINGIP and port['tenant_id'] == ''
    assert port['fixed_ips'][0]['ip_address'] == '172.24.4.2'
    assert tenant.show_floatingip(fip['id']) == fip
    # The tenant cannot remove the address through the port API.
    with pytest.raises(exceptions.L3PortInUse):
        client.delete_port(port['id'])
    tenant.delete_floatingip(fip['id'])
    assert count_rows('ports') == 0 and count_rows('ipallocations') == 0
    assert count_rows('floatingips') == 0
    with pytest.raises(exceptions.FloatingIPNotFound):
        tenant.show_floatingip(fip['id'])


def test_requested_address_is_admin_only(client, tenant, ext_net, count_rows):
    with pytest.raises(exceptions.PolicyNotAuthorized):
        tenant.create_floatingip(floating_network_id=ext_net['id'],
                                 floating_ip_address='172.24.4.50')
    fip = client.create_floatingip(floating_network_id=ext_net['id'], tenant_id='tenant-a',
                                   floating_ip_address='172.24.4.50')
    assert fip['floating_ip_address'] == '172.24.4.50' and fip['tenant_id'] == 'tenant-a'
    assert tenant.show_floatingip(fip['id'])['id'] == fip['id']
    with pytest.raises(exceptions.IpAddressInUse):
        client.create_floatingip(floating_network_id=ext_net['id'],
                                 floating_ip_address='172.24.4.50')
    with pytest.raises(exceptions.InvalidIpForNetwork):
        client.create_floatingip(floating_network_id=ext_net['id'],
                                 floating_ip_address='192.0.2.9')
    assert count_rows('floatingips') == 1 and count_rows('ports') == 1


def test_an_explicit_default_is_not_a_policed_choice(tenant, ext_net):
    """As in Neutron: sending an attribute's default value is not choosing it."""
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'],
                                   floating_ip_address=None)
    assert fip['floating_ip_address'].startswith('172.24.4.')


def test_subnet_id_chooses_the_external_subnet(client, tenant, ext_net, make_subnet):
    second = client.create_subnet(network_id=ext_net['id'], ip_version=4,
                                  cidr='198.51.100.0/24')
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], subnet_id=second['id'])
    assert fip['floating_ip_address'] == '198.51.100.2'
    elsewhere = make_subnet('10.9.0.0/24')
    with pytest.raises(exceptions.BadRequest, match='not a subnet of the floating network'):
        tenant.create_floatingip(floating_network_id=ext_net['id'],
                                 subnet_id=elsewhere['id'])


def test_network_must_exist_and_be_external(client, tenant, other, ext_net, count_rows):
    with pytest.raises(exceptions.NetworkNotFound):
        tenant.create_floatingip(floating_network_id='3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11')
    own = tenant.create_network(name='own')
    tenant.create_subnet(network_id=own['id'], ip_version=4, cidr='10.1.0.0/24')
    with pytest.raises(exceptions.BadRequest,
                       match='Network %s is not a valid external network' % own['id']):
        tenant.create_floatingip(floating_network_id=own['id'])
    # Another tenant's private network does not exist for this tenant.
    with pytest.raises(exceptions.NetworkNotFound):
        other.create_floatingip(floating_network_id=own['id'])
    assert count_rows('floatingips') == 0 and count_rows('ports') == 0


def test_exhausted_pool_is_a_conflict_and_leaves_nothing(client, tenant, count_rows):
    tiny = client.create_network(name='tiny', **{'router:external': True})
    client.create_subnet(network_id=tiny['id'], ip_version=4, cidr='192.0.2.0/30')
    tenant.create_floatingip(floating_network_id=tiny['id'])
    with pytest.raises(exceptions.IpAddressGenerationFailure):
        tenant.create_floatingip(floating_network_id=tiny['id'])
    assert count_rows('floatingips') == 1 and count_rows('ports') == 1


def test_network_without_ipv4_subnet_is_refused(client, tenant, count_rows):
    v6 = client.create_network(name='v6', **{'router:external': True})
    client.create_subnet(network_id=v6['id'], ip_version=6, cidr='2001:db8::/64')
    with pytest.raises(exceptions.BadRequest, match='No IPv4 address found'):
        tenant.create_floatingip(floating_network_id=v6['id'])
    assert count_rows('ports') == 0 and count_rows('ipallocations') == 0


def test_floatingip_quota(client, tenant, ext_net, count_rows):
    client.services.quotas.update(client.context, 'tenant-a', {'floatingip': 1})
    tenant.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.OverQuota):
        tenant.create_floatingip(floating_network_id=ext_net['id'])
    assert count_rows('ports') == 1


def test_network_with_floatingips_cannot_be_deleted(client, tenant, ext_net):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.NetworkInUse):
        client.delete_network(ext_net['id'])
    tenant.delete_floatingip(fip['id'])
    client.delete_network(ext_net['id'])


# ---- association -----------------------------------------------------------------------------

def test_associate_on_create_and_disassociate(tenant, ext_net, lan, vm_port):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    assert fip['port_id'] == vm_port['id'] and fip['router_id'] == lan['router']['id']
    assert fip['fixed_ip_address'] == vm_port['fixed_ips'][0]['ip_address']
    assert fip['status'] == 'ACTIVE'
    # Changing only the description keeps the association.
    kept = tenant.update_floatingip(fip['id'], description='d')
    assert kept['port_id'] == vm_port['id'] and kept['description'] == 'd'
    gone = tenant.update_floatingip(fip['id'], port_id=None)
    assert gone['port_id'] is None and gone['router_id'] is None
    assert gone['fixed_ip_address'] is None and gone['status'] == 'DOWN'


def test_associate_by_update_and_move_to_another_port(tenant, ext_net, lan, vm_port):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'])
    assert tenant.update_floatingip(fip['id'], port_id=vm_port['id'])['port_id'] == \
        vm_port['id']
    second = tenant.create_port(network_id=lan['network']['id'])
    moved = tenant.update_floatingip(fip['id'], port_id=second['id'])
    assert moved['port_id'] == second['id']
    assert moved['fixed_ip_address'] == second['fixed_ips'][0]['ip_address']
    # The first port's address is free for another floating IP now.
    again = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    assert again['port_id'] == vm_port['id']


def test_port_with_several_ipv4_addresses_needs_fixed_ip_address(tenant, ext_net, lan):
    subnet_id = lan['subnet']['id']
    port = tenant.create_port(network_id=lan['network']['id'], fixed_ips=[
        {'subnet_id': subnet_id, 'ip_address': '10.0.0.20'},
        {'subnet_id': subnet_id, 'ip_address': '10.0.0.21'}])
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.BadRequest, match='multiple fixed IPv4 addresses'):
        tenant.update_floatingip(fip['id'], port_id=port['id'])
    with pytest.raises(exceptions.BadRequest, match='does not have fixed ip 10.0.0.99'):
        tenant.update_floatingip(fip['id'], port_id=port['id'], fixed_ip_address='10.0.0.99')
    done = tenant.update_floatingip(fip['id'], port_id=port['id'],
                                    fixed_ip_address='10.0.0.21')
    assert done['fixed_ip_address'] == '10.0.0.21'
    # The other address of the same port may have its own floating IP.
    second = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=port['id'],
                                      fixed_ip_address='10.0.0.20')
    assert second['fixed_ip_address'] == '10.0.0.20'


def test_fixed_ip_address_needs_a_port_id(tenant, ext_net, lan, vm_port, count_rows):
    with pytest.raises(exceptions.BadRequest, match='without a port_id'):
        tenant.create_floatingip(floating_network_id=ext_net['id'],
                                 fixed_ip_address='10.0.0.2')
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    with pytest.raises(exceptions.BadRequest, match='without a port_id'):
        tenant.update_floatingip(fip['id'], fixed_ip_address='10.0.0.2')
    assert count_rows('floatingips') == 1


def test_one_floatingip_per_fixed_ip(tenant, ext_net, vm_port, count_rows):
    first = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    with pytest.raises(exceptions.FloatingIPPortAlreadyAssociated):
        tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    second = tenant.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.FloatingIPPortAlreadyAssociated):
        tenant.update_floatingip(second['id'], port_id=vm_port['id'])
    # Re-associating a floating IP with its own fixed IP is no conflict.
    assert tenant.update_floatingip(first['id'], port_id=vm_port['id'])['port_id'] == \
        vm_port['id']
    assert count_rows('floatingips') == 2 and count_rows('floatingipassociations') == 1


def test_no_router_between_subnet_and_external_network(tenant, ext_net, count_rows):
    network = tenant.create_network(name='island')
    subnet = tenant.create_subnet(network_id=network['id'], ip_version=4,
                                  cidr='10.5.0.0/24')
    port = tenant.create_port(network_id=network['id'])
    with pytest.raises(exceptions.ExternalGatewayForFloatingIPNotFound,
                       match='not reachable from subnet %s' % subnet['id']):
        tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=port['id'])
    # A router with an interface on the subnet but no gateway does not do either.
    router = tenant.create_router(name='no-gw')
    tenant.add_router_interface(router['id'], subnet_id=subnet['id'])
    with pytest.raises(exceptions.ExternalGatewayForFloatingIPNotFound):
        tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=port['id'])
    assert count_rows('floatingips') == 0
    assert count_rows('ipallocations', network_id=ext_net['id']) == 0
    tenant.update_router(router['id'], **{GW: {'network_id': ext_net['id']}})
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=port['id'])
    assert fip['router_id'] == router['id']


def test_port_on_an_external_network_is_refused(client, tenant, ext_net):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'])
    ext_port = client.create_port(network_id=ext_net['id'], tenant_id='tenant-a')
    with pytest.raises(exceptions.BadRequest, match='is on external network'):
        tenant.update_floatingip(fip['id'], port_id=ext_port['id'])


def test_unknown_port_is_not_found(tenant, ext_net):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.PortNotFound):
        tenant.update_floatingip(fip['id'], port_id='3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11')


# ---- what undoes an association ------------------------------------------------------------

def test_deleting_the_port_disassociates(tenant, ext_net, vm_port, count_rows):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    tenant.delete_port(vm_port['id'])
    shown = tenant.show_floatingip(fip['id'])
    assert shown['port_id'] is None and shown['router_id'] is None
    assert shown['fixed_ip_address'] is None and shown['status'] == 'DOWN'
    assert [f['id'] for f in tenant.list_floatingips(status='DOWN')] == [fip['id']]
    assert tenant.list_floatingips(status='ACTIVE') == []
    assert count_rows('floatingipassociations') == 0


def test_removing_the_fixed_ip_from_the_port_disassociates(tenant, ext_net, lan):
    subnet_id = lan['subnet']['id']
    port = tenant.create_port(network_id=lan['network']['id'], fixed_ips=[
        {'subnet_id': subnet_id, 'ip_address': '10.0.0.20'},
        {'subnet_id': subnet_id, 'ip_address': '10.0.0.21'}])
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=port['id'],
                                   fixed_ip_address='10.0.0.21')
    tenant.update_port(port['id'], fixed_ips=[{'subnet_id': subnet_id,
                                               'ip_address': '10.0.0.21'}])
    assert tenant.show_floatingip(fip['id'])['fixed_ip_address'] == '10.0.0.21'
    tenant.update_port(port['id'], fixed_ips=[{'subnet_id': subnet_id,
                                               'ip_address': '10.0.0.20'}])
    assert tenant.show_floatingip(fip['id'])['port_id'] is None


# ---- router consistency --------------------------------------------------------------------

def test_interface_used_by_a_floatingip_cannot_be_removed(tenant, ext_net, lan, vm_port):
    router_id, subnet_id = lan['router']['id'], lan['subnet']['id']
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    with pytest.raises(exceptions.RouterInterfaceInUseByFloatingIP,
                       match='subnet %s on router %s' % (subnet_id, router_id)):
        tenant.remove_router_interface(router_id, subnet_id=subnet_id)
    interface_port = [p for p in tenant.list_ports(device_id=router_id)
                      if p['device_owner'] == const.DEVICE_OWNER_ROUTER_INTF][0]
    with pytest.raises(exceptions.RouterInterfaceInUseByFloatingIP):
        tenant.remove_router_interface(router_id, port_id=interface_port['id'])
    tenant.update_floatingip(fip['id'], port_id=None)
    tenant.remove_router_interface(router_id, subnet_id=subnet_id)


def test_gateway_used_by_a_floatingip_cannot_be_cleared_or_moved(client, tenant, ext_net, lan,
                                                                 vm_port):
    router_id = lan['router']['id']
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    with pytest.raises(exceptions.RouterExternalGatewayInUseByFloatingIp):
        tenant.update_router(router_id, **{GW: {}})
    with pytest.raises(exceptions.RouterExternalGatewayInUseByFloatingIp):
        tenant.update_router(router_id, **{GW: None})
    ext2 = client.create_network(name='ext2', **{'router:external': True})
    client.create_subnet(network_id=ext2['id'], ip_version=4, cidr='198.51.100.0/24')
    with pytest.raises(exceptions.RouterExternalGatewayInUseByFloatingIp):
        tenant.update_router(router_id, **{GW: {'network_id': ext2['id']}})
    assert tenant.show_router(router_id)[GW]['network_id'] == ext_net['id']
    # The router stays usable; without the association the gateway may go.
    tenant.update_router(router_id, name='renamed')
    tenant.update_floatingip(fip['id'], port_id=None)
    assert tenant.update_router(router_id, **{GW: {}})[GW] is None


# ---- tenancy ---------------------------------------------------------------------------------

def test_other_tenant_cannot_see_or_touch_a_floatingip(client, tenant, other, ext_net):
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'])
    assert other.list_floatingips() == []
    for call in (lambda: other.show_floatingip(fip['id']),
                 lambda: other.update_floatingip(fip['id'], description='x'),
                 lambda: other.delete_floatingip(fip['id'])):
        with pytest.raises(exceptions.FloatingIPNotFound):
            call()
    assert tenant.show_floatingip(fip['id'])['description'] == ''
    assert [f['id'] for f in client.list_floatingips()] == [fip['id']]


def test_other_tenant_cannot_associate_with_my_port(client, tenant, other, ext_net, vm_port):
    theirs = other.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.PortNotFound):
        other.update_floatingip(theirs['id'], port_id=vm_port['id'])
    with pytest.raises(exceptions.PortNotFound):
        other.create_floatingip(floating_network_id=ext_net['id'], port_id=vm_port['id'])
    mine = tenant.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.FloatingIPNotFound):
        other.update_floatingip(mine['id'], port_id=vm_port['id'])
    # An admin may map anyone's floating IP to anyone's port.
    assert client.update_floatingip(theirs['id'], port_id=vm_port['id'])['port_id'] == \
        vm_port['id']


def test_seeing_a_port_is_not_owning_it(client, tenant, other, ext_net, lan):
    """tenant-a owns the network; tenant-b's port on it is visible to tenant-a, yet tenant-a
    cannot map its floating IP to it."""
    port = client.create_port(network_id=lan['network']['id'], tenant_id='tenant-b')
    assert tenant.show_port(port['id'])['id'] == port['id']
    fip = tenant.create_floatingip(floating_network_id=ext_net['id'])
    with pytest.raises(exceptions.PortNotFound):
        tenant.update_floatingip(fip['id'], port_id=port['id'])


# ---- listing ---------------------------------------------------------------------------------

@pytest.fixture
def three(tenant, ext_net, lan, vm_port):
    """Three floating IPs of tenant-a, the middle one associated with vm_port."""
    fips = [tenant.create_floatingip(floating_network_id=ext_net['id'], description=d)
            for d in ('c', 'a', 'b')]
    fips[1] = tenant.update_floatingip(fips[1]['id'], port_id=vm_port['id'])
    return fips


def _ids(items):
    return [i['id'] for i in items]


def test_filters_on_association_columns(tenant, three, lan, vm_port):
    associated = [three[1]['id']]
    assert _ids(tenant.list_floatingips(port_id=vm_port['id'])) == associated
    assert _ids(tenant.list_floatingips(router_id=lan['router']['id'])) == associated
    fixed = vm_port['fixed_ips'][0]['ip_address']
    assert _ids(tenant.list_floatingips(fixed_ip_address=fixed)) == associated
    assert _ids(tenant.list_floatingips(fixed_ip_address=fixed, port_id=vm_port['id'])) == \
        associated
    assert _ids(tenant.list_floatingips(status='ACTIVE')) == associated
    assert sorted(_ids(tenant.list_floatingips(status='DOWN'))) == \
        sorted([three[0]['id'], three[2]['id']])
    assert tenant.list_floatingips(port_id='3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11') == []


def test_filters_on_own_columns(tenant, three, ext_net):
    address = three[2]['floating_ip_address']
    assert _ids(tenant.list_floatingips(floating_ip_address=address)) == [three[2]['id']]
    assert len(tenant.list_floatingips(floating_network_id=ext_net['id'])) == 3
    assert len(tenant.list_floatingips(tenant_id='tenant-a')) == 3
    assert len(tenant.list_floatingips(project_id='tenant-a')) == 3
    assert _ids(tenant.list_floatingips(description='a')) == [three[1]['id']]


def test_fields_sorting_and_paging(tenant, three):
    shown = tenant.list_floatingips(fields=['id', 'port_id'])
    assert all(set(f) == {'id', 'port_id'} for f in shown)
    by_description = tenant.list_floatingips(sorts=[('description', True)])
    assert [f['description'] for f in by_description] == ['a', 'b', 'c']
    first = tenant.list_floatingips(sorts=[('description', False)], limit=2)
    rest = tenant.list_floatingips(sorts=[('description', False)], limit=2,
                                   marker=first[-1]['id'])
    assert [f['description'] for f in first + rest] == ['c', 'b', 'a']
