"""nova_integration.network_api.API: what Nova's compute manager calls, on in-memory SQLite."""

import json
import types
import uuid

import pytest

from netmgr.conf import nova_network
from netmgr import context as ctx
from nova_integration import exceptions as nova_exc
from nova_integration import network_api

PROJECT = 'pa'


def _context(project=PROJECT, admin=False):
    return types.SimpleNamespace(project_id=project, user_id='u-' + project,
                                 roles=['admin'] if admin else ['member'], is_admin=admin)


def _instance(project=PROJECT, host=None):
    return types.SimpleNamespace(uuid=str(uuid.uuid4()), project_id=project, host=host,
                                 availability_zone='az1')


class NetworkRequest:
    """Shaped like nova.objects.NetworkRequest."""

    def __init__(self, network_id=None, address=None, port_id=None):
        self.network_id, self.address, self.port_id = network_id, address, port_id


@pytest.fixture
def make_api(make_client):
    def make(**options):
        client = make_client(rpc_enabled=False)
        conf = client.services.conf
        nova_network.register(conf)
        for name, value in options.items():
            conf.set_override(name, value)
        return network_api.API(conf=conf, client=client)
    return make


@pytest.fixture
def api(make_api):
    return make_api()


@pytest.fixture
def tenant(api):
    return api.admin.as_context(ctx.tenant_context(PROJECT))


def _network(owner, cidr='10.0.0.0/24', **attrs):
    network = owner.create_network(name='n-' + cidr, **attrs)
    owner.create_subnet(network_id=network['id'], cidr=cidr, ip_version=4)
    return owner.show_network(network['id'])


def _addresses(info):
    return [ip['address'] for ip in info.fixed_ips()]


def _ports(api, **filters):
    return api.admin.list_ports(**filters)


def test_every_requested_networks_form(api, tenant):
    net1, net2, net3 = (_network(tenant, '10.%d.0.0/24' % n) for n in (1, 2, 3))
    port = tenant.create_port(network_id=net3['id'])
    instance = _instance()
    info = api.allocate_for_instance(_context(), instance, requested_networks=[
        (net1['id'], None, None), (net2['id'], '10.2.0.50', None), (None, None, port['id'])])
    assert [v['network']['id'] for v in info] == [net1['id'], net2['id'], net3['id']]
    assert _addresses(info)[1:] == ['10.2.0.50', port['fixed_ips'][0]['ip_address']]
    assert info[2]['id'] == port['id']
    for vif in info:
        stored = api.admin.show_port(vif['id'])
        assert (stored['device_id'], stored['device_owner']) == (instance.uuid, 'compute:az1')
        assert stored['tenant_id'] == PROJECT

    # objects and a NetworkRequestList-like container; older two-item tuples
    other = _instance()
    requests = types.SimpleNamespace(objects=[NetworkRequest(net1['id'], '10.1.0.77'),
                                              NetworkRequest(network_id=net2['id'])])
    info = api.allocate_for_instance(_context(), other, requested_networks=requests)
    assert _addresses(info)[0] == '10.1.0.77' and len(info) == 2
    info = api.allocate_for_instance(_context(), _instance(),
                                     requested_networks=[(net3['id'], '10.3.0.9')])
    assert _addresses(info) == ['10.3.0.9']


def test_no_nic_gets_the_one_visible_network_or_none(api, tenant):
    assert api.allocate_for_instance(_context(), _instance(),
                                     requested_networks=[('none', None, None)]) == []
    net = _network(tenant)
    [vif] = api.allocate_for_instance(_context(), _instance())
    assert vif['network']['id'] == net['id']
    _network(tenant, '10.9.0.0/24')
    with pytest.raises(nova_exc.NetworkAmbiguous):
        api.allocate_for_instance(_context(), _instance())


def test_no_nic_gets_the_managers_network(make_api):
    api = make_api(network_manager='netmgr.managers.FlatManager', fixed_range='10.50.0.0/24')
    info = api.allocate_for_instance(_context(), _instance())
    [vif] = info
    assert vif['network']['label'] == 'br100' and _addresses(info)[0].startswith('10.50.0.')
    assert vif['network']['meta']['injected'] is True
    assert vif['network']['subnets'][0]['meta']['enable_dhcp'] is False
    # a second project gets the same shared network
    [vif2] = api.allocate_for_instance(_context('pb'), _instance('pb'))
    assert vif2['network']['id'] == vif['network']['id']


@pytest.mark.parametrize('case', ['missing', 'other_tenant_private'])
def test_network_not_found_or_not_visible(api, case):
    if case == 'missing':
        net_id = str(uuid.uuid4())
    else:
        other = api.admin.as_context(ctx.tenant_context('someone-else'))
        net_id = _network(other)['id']
    with pytest.raises(nova_exc.NetworkNotFound, match='Network %s could not be found'
                       % net_id):
        api.allocate_for_instance(_context(), _instance(), [(net_id, None, None)])
    assert _ports(api, tenant_id=PROJECT) == []


def test_port_errors(api, tenant):
    net = _network(tenant)
    with pytest.raises(nova_exc.PortNotFound):
        api.allocate_for_instance(_context(), _instance(), [(None, None, str(uuid.uuid4()))])
    used = tenant.create_port(network_id=net['id'], device_id='another-vm')
    with pytest.raises(nova_exc.PortInUse, match='Port %s is still in use' % used['id']):
        api.allocate_for_instance(_context(), _instance(), [(None, None, used['id'])])
    other = api.admin.as_context(ctx.tenant_context('someone-else'))
    foreign = other.create_port(network_id=_network(other, '10.8.0.0/24')['id'])
    with pytest.raises(nova_exc.PortNotUsable):
        api.allocate_for_instance(_context(), _instance(), [(None, None, foreign['id'])])


def test_fixed_ip_errors(api, tenant):
    net = _network(tenant)
    instance = _instance()
    with pytest.raises(nova_exc.FixedIpInvalid, match='not-an-ip is invalid'):
        api.allocate_for_instance(_context(), instance, [(net['id'], 'not-an-ip', None)])
    with pytest.raises(nova_exc.InvalidInput, match='not a valid ip address for network'):
        api.allocate_for_instance(_context(), instance, [(net['id'], '192.168.7.7', None)])
    api.allocate_for_instance(_context(), _instance(), [(net['id'], '10.0.0.20', None)])
    with pytest.raises(nova_exc.FixedIpAlreadyInUse, match='10.0.0.20 is already in use'):
        api.allocate_for_instance(_context(), instance, [(net['id'], '10.0.0.20', None)])
    with pytest.raises(nova_exc.FixedIpAlreadyInUse):
        api.validate_networks(_context(), [(net['id'], '10.0.0.20', None)])
    assert _ports(api, device_id=instance.uuid) == []


def test_network_errors(api, tenant):
    net = _network(tenant)
    with pytest.raises(nova_exc.NetworkDuplicated):
        api.allocate_for_instance(_context(), _instance(), [(net['id'], None, None)] * 2)
    bare = tenant.create_network(name='bare')
    with pytest.raises(nova_exc.NetworkRequiresSubnet):
        api.allocate_for_instance(_context(), _instance(), [(bare['id'], None, None)])
    ext = _network(api.admin, '172.24.4.0/24', **{'router:external': True})
    with pytest.raises(nova_exc.ExternalNetworkAttachForbidden):
        api.allocate_for_instance(_context(), _instance(), [(ext['id'], None, None)])
    # an admin may
    api.allocate_for_instance(_context(admin=True), _instance(), [(ext['id'], None, None)])
    api.deallocate_for_instance(_context(), types.SimpleNamespace(uuid='none'))
    assert api.validate_networks(_context(), [(net['id'], None, None)], 3) == 3
    assert _ports(api, network_id=net['id']) == []


def test_security_groups_by_name_or_id_go_on_created_ports_only(api, tenant):
    net1, net2 = _network(tenant, '10.1.0.0/24'), _network(tenant, '10.2.0.0/24')
    web = tenant.create_security_group(name='web')
    ssh = tenant.create_security_group(name='ssh')
    given = tenant.create_port(network_id=net2['id'])
    info = api.allocate_for_instance(_context(), _instance(), [
        (net1['id'], None, None), (None, None, given['id'])], security_groups=['web', ssh['id']])
    created = api.admin.show_port(info[0]['id'])
    assert sorted(created['security_groups']) == sorted([web['id'], ssh['id']])
    assert api.admin.show_port(given['id'])['security_groups'] == given['security_groups']
    [default] = tenant.list_security_groups(name='default')
    for groups in (None, ['default']):
        info = api.allocate_for_instance(_context(), _instance(), [(net1['id'], None, None)],
                                         security_groups=groups)
        assert api.admin.show_port(info[0]['id'])['security_groups'] == [default['id']]


def test_security_group_errors_leave_nothing(api, tenant):
    net = _network(tenant)
    tenant.create_security_group(name='twin')
    tenant.create_security_group(name='twin')
    tenant.create_security_group(name='web')
    other = api.admin.as_context(ctx.tenant_context('pb')).create_security_group(name='theirs')
    unprotected = _network(tenant, '10.9.0.0/24', port_security_enabled=False)
    cases = [(['nope'], net, nova_exc.SecurityGroupNotFound, 'Security group nope not found'),
             ([other['id']], net, nova_exc.SecurityGroupNotFound, other['id']),
             (['twin'], net, nova_exc.NoUniqueMatch, "Multiple security groups found matching "
              "'twin'"),
             (['web'], unprotected, nova_exc.SecurityGroupCannotBeApplied,
              'requires port_security_enabled')]
    for groups, network, error, message in cases:
        with pytest.raises(error, match=message):
            api.allocate_for_instance(_context(), _instance(), [(network['id'], None, None)],
                                      security_groups=groups)
    assert _ports(api, device_owner='compute:az1') == []
    info = api.allocate_for_instance(_context(), _instance(), [(unprotected['id'], None, None)])
    assert api.admin.show_port(info[0]['id'])['security_groups'] == []


def test_failure_part_way_rolls_back_created_and_claimed_ports(api, tenant):
    net1, net2, net3 = (_network(tenant, '10.%d.0.0/24' % n) for n in (1, 2, 3))
    mine = tenant.create_port(network_id=net1['id'], device_owner='', device_id='')
    api.allocate_for_instance(_context(), _instance(), [(net3['id'], '10.3.0.30', None)])
    before = {p['id'] for p in _ports(api)}
    instance = _instance()
    with pytest.raises(nova_exc.FixedIpAlreadyInUse):
        api.allocate_for_instance(_context(), instance, [
            (None, None, mine['id']), (net2['id'], None, None), (net3['id'], '10.3.0.30', None)])
    assert {p['id'] for p in _ports(api)} == before
    restored = api.admin.show_port(mine['id'])
    assert (restored['device_id'], restored['device_owner'], restored['binding:host_id']) \
        == ('', '', '')


def test_binding_failed_on_a_host_without_agent_is_rolled_back(api, tenant):
    net = _network(tenant)
    with pytest.raises(nova_exc.PortBindingFailed):
        api.allocate_for_instance(_context(), _instance(host='nowhere'),
                                  [(net['id'], None, None)])
    assert _ports(api, network_id=net['id']) == []


def test_deallocate_deletes_created_ports_and_unbinds_given_ones(api, tenant):
    net1, net2 = _network(tenant, '10.1.0.0/24'), _network(tenant, '10.2.0.0/24')
    given = tenant.create_port(network_id=net2['id'])
    instance = _instance()
    requests = [(net1['id'], None, None), (None, None, given['id'])]
    api.allocate_for_instance(_context(), instance, requests)
    api.deallocate_for_instance(_context(), instance, requested_networks=requests)
    assert [p['id'] for p in _ports(api, tenant_id=PROJECT)] == [given['id']]
    assert api.admin.show_port(given['id'])['device_id'] == ''
    assert api.get_instance_nw_info(_context(), instance) == []


def test_nw_info_shape_and_legacy_form(api, tenant):
    net = _network(tenant)
    instance = _instance()
    api.allocate_for_instance(_context(), instance, [(net['id'], '10.0.0.5', None)])
    info = api.get_instance_nw_info(_context(), instance)
    [vif] = json.loads(json.dumps(info))
    assert set(vif) >= {'id', 'address', 'type', 'devname', 'ovs_interfaceid', 'details',
                        'network'}
    assert vif['devname'] == 'tap' + vif['id'][:11] and vif['network']['bridge'] == 'br-int'
    [subnet] = vif['network']['subnets']
    assert (subnet['cidr'], subnet['gateway']['address'], subnet['meta']['enable_dhcp']) == \
        ('10.0.0.0/24', '10.0.0.1', True)
    assert set(vif['network']['meta']) >= {'tenant_id', 'injected', 'should_create_bridge',
                                           'should_create_vlan', 'vlan', 'bridge_interface',
                                           'multi_host'}
    [(legacy_net, legacy)] = info.legacy()
    assert legacy_net['cidr'] == '10.0.0.0/24' and legacy['ips'][0]['ip'] == '10.0.0.5'


def test_add_and_remove_fixed_ip(api, tenant):
    net = _network(tenant)
    tenant.create_subnet(network_id=net['id'], cidr='10.0.1.0/24', ip_version=4)
    instance = _instance()
    api.allocate_for_instance(_context(), instance, [(net['id'], '10.0.0.5', None)])
    info = api.add_fixed_ip_to_instance(_context(), instance, net['id'])
    assert len(_addresses(info)) == 2
    info = api.remove_fixed_ip_from_instance(_context(), instance, '10.0.0.5')
    assert _addresses(info)[0].startswith('10.0.1.')
    with pytest.raises(nova_exc.FixedIpNotFoundForSpecificInstance):
        api.remove_fixed_ip_from_instance(_context(), instance, '10.0.0.5')
    with pytest.raises(nova_exc.NetworkNotFoundForInstance):
        api.add_fixed_ip_to_instance(_context(), instance, str(uuid.uuid4()))


def test_floating_ips(api, tenant):
    ext = _network(api.admin, '172.24.4.0/24', **{'router:external': True})
    net = _network(tenant)
    router = tenant.create_router(name='r', external_gateway_info={'network_id': ext['id']})
    tenant.add_router_interface(router['id'], subnet_id=net['subnets'][0])
    instance = _instance()
    api.allocate_for_instance(_context(), instance, [(net['id'], '10.0.0.5', None)])
    address = api.allocate_floating_ip(_context(), 'n-172.24.4.0/24')
    api.associate_floating_ip(_context(), instance, address, '10.0.0.5')
    [fip] = api.get_floating_ips_by_project(_context())
    assert (fip['address'], fip['fixed_ip']) == (address, {'address': '10.0.0.5'})
    info = api.get_instance_nw_info(_context(), instance)
    assert [f['address'] for f in info.floating_ips()] == [address]
    with pytest.raises(nova_exc.FloatingIpAssociated):
        api.release_floating_ip(_context(), address)
    with pytest.raises(nova_exc.FixedIpNotFoundForSpecificInstance):
        api.associate_floating_ip(_context(), instance, address, '10.0.0.99')
    api.disassociate_floating_ip(_context(), instance, address)
    api.release_floating_ip(_context(), address)
    assert api.get_floating_ips_by_project(_context()) == []
    with pytest.raises(nova_exc.FloatingIpNotFoundForAddress):
        api.release_floating_ip(_context(), address)
    with pytest.raises(nova_exc.FloatingIpPoolNotFound):
        api.allocate_floating_ip(_context(), 'no-such-pool')


def test_setup_networks_on_host_rebinds_ports(api, tenant):
    net = _network(tenant)
    instance = _instance()
    api.allocate_for_instance(_context(), instance, [(net['id'], None, None)])
    api.setup_networks_on_host(_context(), instance, host='host2')
    [port] = _ports(api, device_id=instance.uuid)
    assert port['binding:host_id'] == 'host2'


def test_config_file_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / 'netmgr.conf'
    path.write_text('[DEFAULT]\nfixed_range = 10.77.0.0/16\n[compute]\nnamespace_prefix = x-\n')
    monkeypatch.setenv(network_api.CONFIG_ENV, str(path))
    conf = network_api.load_conf()
    assert (conf.fixed_range, conf.compute.namespace_prefix) == ('10.77.0.0/16', 'x-')


def test_errors_carry_novas_names_and_codes():
    assert nova_exc.PortInUse(port_id='p').format_message() == 'Port p is still in use.'
    assert nova_exc.PortNotFound.code == 404 and nova_exc.FixedIpInvalid.code == 400
    assert issubclass(nova_exc.NetworkNotFoundForInstance, nova_exc.NetworkNotFound)
    assert nova_exc.SecurityGroupNotFound.code == 404 and nova_exc.NoUniqueMatch.code == 409
