"""Floating IPs through a live server (as the quantum CLI and Nova send them), and the
association's database rules on SQLite, MariaDB and PostgreSQL."""

import threading

import pytest
import sqlalchemy as sa

from netmgr import conf as nm_conf
from netmgr import context as nm_context
from netmgr.db.models import l3 as l3_models
from netmgr import exceptions
from netmgr import wiring
from tests.functional.rest_helpers import _error, _ids, _net, NO_SUCH_ID

pytestmark = pytest.mark.functional

GW = 'external_gateway_info'


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('floatingips')


@pytest.fixture(scope='module')
def ext_net(server):
    network, _subnet = _net(server.client(), cidr='172.24.4.0/24', **{'router:external': True})
    return network


def _lan(api, ext_net, cidr):
    """A tenant network behind a router whose gateway is on ext_net: (network, subnet,
    router)."""
    network, subnet = _net(api, cidr=cidr)
    router = api.create('router', name='r', **{GW: {'network_id': ext_net['id']}})
    resp = api.put('/v2.0/routers/%s/add_router_interface.json' % router['id'],
                   {'subnet_id': subnet['id']})
    assert resp.status == 200, resp
    return network, subnet, router


def test_floatingip_life_as_quantum_cli_drives_it(server, ext_net):
    api = server.client().as_tenant('fip-project')
    network, subnet, router = _lan(api, ext_net, '10.30.0.0/24')
    port = api.create('port', network_id=network['id'])
    fixed = port['fixed_ips'][0]['ip_address']

    # quantum floatingip-create EXT
    resp = api.post('/v2.0/floatingips.json',
                    {'floatingip': {'floating_network_id': ext_net['id']}})
    assert resp.status == 201, resp
    fip = resp.json['floatingip']
    assert fip['status'] == 'DOWN' and fip['port_id'] is None and fip['router_id'] is None
    assert fip['tenant_id'] == 'fip-project' and 'subnet_id' not in fip
    path = '/v2.0/floatingips/%s.json' % fip['id']

    # quantum floatingip-associate FIP PORT
    resp = api.put(path, {'floatingip': {'port_id': port['id']}})
    assert resp.status == 200, resp
    associated = resp.json['floatingip']
    assert associated['port_id'] == port['id'] and associated['router_id'] == router['id']
    assert associated['fixed_ip_address'] == fixed and associated['status'] == 'ACTIVE'

    # Nova: floatingips?fixed_ip_address=...&port_id=...
    found = api.list('floatingips', query=[('fixed_ip_address', fixed),
                                           ('port_id', port['id'])])
    assert _ids(found) == [fip['id']]
    assert api.list('floatingips', query=[('port_id', NO_SUCH_ID)]) == []

    # What the association forbids, with Neutron's error types.
    router_path = '/v2.0/routers/%s' % router['id']
    _error(api.put(router_path + '/remove_router_interface.json', {'subnet_id': subnet['id']}),
           409, 'RouterInterfaceInUseByFloatingIP')
    _error(api.put(router_path + '.json', {'router': {GW: {}}}),
           409, 'RouterExternalGatewayInUseByFloatingIp')
    _error(api.post('/v2.0/floatingips', {'floatingip': {'floating_network_id': ext_net['id'],
                                                         'port_id': port['id']}}),
           409, 'FloatingIPPortAlreadyAssociated')
    fip_port = api.list('ports', query={'device_id': fip['id']})
    assert fip_port == []  # the floating IP's port belongs to no tenant
    admin = server.client()
    fip_port = admin.list('ports', query={'device_id': fip['id']})[0]
    assert fip_port['device_owner'] == 'network:floatingip'
    _error(admin.delete('/v2.0/ports/%s' % fip_port['id']), 409, 'L3PortInUse')
    _error(admin.delete('/v2.0/networks/%s' % ext_net['id']), 409, 'NetworkInUse')

    # quantum floatingip-disassociate FIP
    resp = api.put(path, {'floatingip': {'port_id': None}})
    assert resp.status == 200, resp
    gone = resp.json['floatingip']
    assert gone['port_id'] is None and gone['fixed_ip_address'] is None
    assert gone['router_id'] is None and gone['status'] == 'DOWN'

    # quantum floatingip-delete FIP
    assert api.delete(path).status == 204
    _error(api.get(path), 404, 'FloatingIPNotFound')
    assert admin.list('ports', query={'device_id': fip['id']}) == []


def test_bad_requests_are_4xx(server, ext_net):
    api = server.client().as_tenant('fip-bad')
    network, _subnet, _router = _lan(api, ext_net, '10.31.0.0/24')
    create = '/v2.0/floatingips'

    def body(**attrs):
        return {'floatingip': attrs}

    _error(api.post(create, body()), 400, 'InvalidInput')  # floating_network_id required
    _error(api.post(create, body(floating_network_id='not-a-uuid')), 400, 'InvalidInput')
    _error(api.post(create, body(floating_network_id=NO_SUCH_ID)), 404, 'NetworkNotFound')
    _error(api.post(create, body(floating_network_id=network['id'])), 400, 'BadRequest')
    _error(api.post(create, body(floating_network_id=ext_net['id'],
                                 floating_ip_address='172.24.4.200')),
           403, 'PolicyNotAuthorized')
    _error(api.post(create, body(floating_network_id=ext_net['id'], port_id=NO_SUCH_ID)),
           404, 'PortNotFound')
    _error(api.post(create, body(floating_network_id=ext_net['id'], router_id=NO_SUCH_ID)),
           400, 'InvalidInput')
    _error(api.post(create, body(floating_network_id=ext_net['id'],
                                 fixed_ip_address='10.31.0.5')), 400, 'BadRequest')
    fip = api.create('floatingip', floating_network_id=ext_net['id'])
    path = '/v2.0/floatingips/%s' % fip['id']
    _error(api.put(path, body(floating_network_id=ext_net['id'])), 400, 'InvalidInput')
    _error(api.put(path, body(port_id='not-a-uuid')), 400, 'InvalidInput')
    _error(api.put(path, body(fixed_ip_address='nonsense')), 400, 'InvalidInput')
    _error(api.get('/v2.0/floatingips', query={'router_id': 'x', 'sort_key': 'port_id'}),
           400, 'InvalidSortKey')
    island, island_subnet = _net(api, cidr='10.32.0.0/24')
    lonely = api.create('port', network_id=island['id'])
    error = _error(api.put(path, body(port_id=lonely['id'])),
                   404, 'ExternalGatewayForFloatingIPNotFound')
    assert island_subnet['id'] in error['message']
    # The admin-only address on the admin's request, then taken.
    admin = server.client()
    taken = admin.create('floatingip', floating_network_id=ext_net['id'],
                         floating_ip_address='172.24.4.201')
    assert taken['floating_ip_address'] == '172.24.4.201'
    _error(admin.post(create, body(floating_network_id=ext_net['id'],
                                   floating_ip_address='172.24.4.201')), 409, 'IpAddressInUse')
    assert api.list('floatingips', query={'id': taken['id']}) == []


def test_other_tenants_get_404(server, ext_net):
    owner = server.client().as_tenant('fip-owner')
    intruder = server.client().as_tenant('fip-intruder')
    network, _subnet, _router = _lan(owner, ext_net, '10.33.0.0/24')
    port = owner.create('port', network_id=network['id'])
    fip = owner.create('floatingip', floating_network_id=ext_net['id'])
    path = '/v2.0/floatingips/%s' % fip['id']
    _error(intruder.get(path), 404, 'FloatingIPNotFound')
    _error(intruder.put(path, {'floatingip': {'port_id': port['id']}}), 404,
           'FloatingIPNotFound')
    _error(intruder.delete(path), 404, 'FloatingIPNotFound')
    assert intruder.list('floatingips') == []
    theirs = intruder.create('floatingip', floating_network_id=ext_net['id'])
    _error(intruder.put('/v2.0/floatingips/%s' % theirs['id'],
                        {'floatingip': {'port_id': port['id']}}), 404, 'PortNotFound')
    assert owner.show('floatingip', fip['id'])['port_id'] is None
    assert _ids(server.client().list('floatingips', query=[('id', fip['id']),
                                                           ('id', theirs['id'])])) == \
        sorted([fip['id'], theirs['id']])


def test_deleting_the_port_disassociates(server, ext_net):
    api = server.client().as_tenant('fip-port-delete')
    network, _subnet, router = _lan(api, ext_net, '10.34.0.0/24')
    port = api.create('port', network_id=network['id'])
    fip = api.create('floatingip', floating_network_id=ext_net['id'], port_id=port['id'])
    assert fip['router_id'] == router['id']
    api.remove('port', port['id'])
    shown = api.show('floatingip', fip['id'])
    assert shown['port_id'] is None and shown['router_id'] is None
    assert shown['status'] == 'DOWN'
    assert _ids(api.list('floatingips', query={'status': 'DOWN'})) == [fip['id']]


# ---- the association's rules in the database itself ------------------------------------------

ASSOC = l3_models.FloatingIPAssociation.__table__


@pytest.fixture
def admin(database):
    return wiring.build_client(nm_conf.new_conf(), nm_context.admin_context('admin'),
                               db=database)


@pytest.fixture
def topology(admin):
    ext = admin.create_network(name='ext', **{'router:external': True})
    admin.create_subnet(network_id=ext['id'], ip_version=4, cidr='172.24.4.0/24')
    network = admin.create_network(name='lan')
    subnet = admin.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
    router = admin.create_router(name='r', **{GW: {'network_id': ext['id']}})
    admin.add_router_interface(router['id'], subnet_id=subnet['id'])
    return {'ext': ext, 'network': network, 'subnet': subnet, 'router': router}


def _associations(database):
    with database.reader() as session:
        return session.execute(sa.select(sa.func.count()).select_from(ASSOC)).scalar_one()


def test_port_delete_cascades_to_the_association(admin, database, topology):
    port = admin.create_port(network_id=topology['network']['id'])
    fip = admin.create_floatingip(floating_network_id=topology['ext']['id'],
                                  port_id=port['id'])
    assert _associations(database) == 1
    admin.delete_port(port['id'])
    assert _associations(database) == 0
    assert admin.show_floatingip(fip['id'])['port_id'] is None


def test_released_fixed_ip_cascades_to_the_association(admin, database, topology):
    subnet_id = topology['subnet']['id']
    port = admin.create_port(network_id=topology['network']['id'], fixed_ips=[
        {'subnet_id': subnet_id, 'ip_address': '10.0.0.20'},
        {'subnet_id': subnet_id, 'ip_address': '10.0.0.21'}])
    fip = admin.create_floatingip(floating_network_id=topology['ext']['id'],
                                  port_id=port['id'], fixed_ip_address='10.0.0.21')
    admin.update_port(port['id'], fixed_ips=[{'subnet_id': subnet_id,
                                              'ip_address': '10.0.0.20'}])
    assert _associations(database) == 0
    assert admin.show_floatingip(fip['id'])['fixed_ip_address'] is None
    # The address is free again and may be associated on another port.
    other = admin.create_port(network_id=topology['network']['id'],
                              fixed_ips=[{'subnet_id': subnet_id, 'ip_address': '10.0.0.21'}])
    assert admin.update_floatingip(fip['id'], port_id=other['id'])['port_id'] == other['id']


def test_concurrent_associations_of_one_fixed_ip(admin, database, topology):
    """Several floating IPs race for one fixed IP: exactly one wins, the others get 409."""
    port = admin.create_port(network_id=topology['network']['id'])
    fips = [admin.create_floatingip(floating_network_id=topology['ext']['id'])
            for _ in range(4)]
    start = threading.Barrier(len(fips))
    outcomes = []

    def associate(fip_id):
        start.wait()
        try:
            admin.update_floatingip(fip_id, port_id=port['id'])
            outcomes.append('ok')
        except exceptions.FloatingIPPortAlreadyAssociated:
            outcomes.append('409')
        except Exception as exc:  # reported below, with its type
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=associate, args=(f['id'],)) for f in fips]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ['409', '409', '409', 'ok'], outcomes
    assert _associations(database) == 1
    assert len(admin.list_floatingips(port_id=port['id'])) == 1
