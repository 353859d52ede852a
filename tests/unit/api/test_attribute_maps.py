"""The attribute maps: closed keyword set, known validators, filters and sort keys that the
database can answer, and prepare_create/prepare_update (Quantum's controller semantics)."""

import pytest

from netmgr.api import attributes
from netmgr.api import definitions
from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api import resources
from netmgr.api import validators
from netmgr import conf as conf_mod
from netmgr import context as ctx
from netmgr.db import api as db_api
from netmgr.db.models import core as models
from netmgr import exceptions
from netmgr.services import rows
from netmgr import wiring

RESOURCES = resources.RESOURCES
# Attributes a collection answers without a column of the same name.
HANDLED_FILTERS = {
    'networks': {'project_id'},                 # alias of tenant_id (services/rows.py)
    'subnets': {'project_id'},
    'ports': {'project_id', 'fixed_ips'},       # fixed_ips: a subquery on ipallocations
    'agents': {'alive'},                        # alive: heartbeat age (services/agents.py)
    # port_id, router_id, fixed_ip_address: the association table (services/floatingips.py)
    'floatingips': {'project_id', 'port_id', 'router_id', 'fixed_ip_address'},
    'security_groups': {'project_id'},
    'security_group_rules': {'project_id'},
}
# Attributes extensions add are filtered by the extension's own service (its own tables).
for _module in resources.EXTENSIONS:
    for _collection, _attrs in getattr(_module, 'EXTENDED_ATTRIBUTES', {}).items():
        HANDLED_FILTERS[_collection] |= set(_attrs)
# A value of the right type for each filterable attribute (what a query string carries).
FILTER_SAMPLES = {
    'admin_state_up': 'True', 'shared': 'false', 'enable_dhcp': 'true', 'ip_version': '4',
    'alive': 'true',
    'fixed_ips': 'ip_address=10.0.0.2', 'id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11',
    'router:external': 'True', 'binding:vnic_type': 'direct', 'provider:segmentation_id': '5',
    'port_security_enabled': 'true', 'protocol': 'tcp', 'direction': 'ingress',
    'ethertype': 'IPv6', 'port_range_min': '22', 'port_range_max': '22',
    'remote_ip_prefix': '10.0.0.0/24', 'remote_group_id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11',
    'security_group_id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11',
}
# Listing security groups makes the caller's default group (with its four rules) first.
ROWS_OF_A_FRESH_TENANT = {'networks': 1, 'security_groups': 1}


def all_attributes():
    for collection, info in sorted(RESOURCES.items()):
        for name, spec in sorted(info.attributes.items()):
            yield collection, name, spec


def _ids(params):
    return ['%s.%s' % (c, n) for c, n, *_ in params]


ATTRS = list(all_attributes())


def unknown_keywords(spec):
    return sorted(set(spec) - definitions.ATTRIBUTE_KEYWORDS)


@pytest.mark.parametrize('collection, name, spec', ATTRS, ids=_ids(ATTRS))
def test_attribute_uses_only_known_keywords(collection, name, spec):
    assert unknown_keywords(spec) == []


def test_keyword_check_catches_a_typo():
    assert unknown_keywords({'allow_post': True, 'is_visable': True}) == ['is_visable']


@pytest.mark.parametrize('collection, name, spec', ATTRS, ids=_ids(ATTRS))
def test_validators_and_converters_exist(collection, name, spec):
    for rule in spec.get('validate') or {}:
        assert rule in validators.VALIDATORS
    for key in ('convert_to', 'convert_list_to'):
        assert key not in spec or callable(spec[key])


def test_every_resource_has_its_table_and_an_id_primary_key():
    for collection, info in RESOURCES.items():
        assert collection in models.Base.metadata.tables
        assert [n for n, s in info.attributes.items() if s.get('primary_key')] == ['id']
        assert info.singular and info.collection == collection


def _columns_answering(collection, names):
    table = models.Base.metadata.tables[collection]
    return sorted(n for n in names if rows.ALIASES.get(n, n) not in table.c
                  and n not in HANDLED_FILTERS[collection])


@pytest.mark.parametrize('collection', sorted(RESOURCES))
def test_every_filter_and_sort_key_maps_to_a_column(collection):
    attrs = RESOURCES[collection].attributes
    filters = [n for n, s in attrs.items() if s.get('is_filter')]
    sorts = [n for n, s in attrs.items() if s.get('is_sort_key')]
    assert _columns_answering(collection, filters) == []
    assert _columns_answering(collection, [s for s in sorts if s != 'fixed_ips']) == []
    assert 'fixed_ips' not in sorts


FILTERS = [(c, n) for c, n, s in ATTRS if s.get('is_filter')]
SORTS = [(c, n) for c, n, s in ATTRS if s.get('is_sort_key')]


@pytest.mark.parametrize('collection, name', FILTERS, ids=_ids(FILTERS))
def test_every_filter_runs_as_a_query(client, collection, name):
    value = FILTER_SAMPLES.get(name, 'sample')
    items, has_more = client.ops.list(client.context, collection, {name: [value]})
    if collection == 'security_groups' and name in ('tenant_id', 'project_id'):
        # As Neutron: listing a tenant's groups makes its default group first.
        items = [i for i in items if i['name'] != 'default']
    assert items == [] and has_more is False


@pytest.mark.parametrize('collection, name', SORTS, ids=_ids(SORTS))
def test_every_sort_key_runs_as_a_query(client, collection, name):
    client.create_network(name='n')
    items, _ = client.ops.list(client.context, collection, {}, sorts=[(name, False)])
    assert len(items) == ROWS_OF_A_FRESH_TENANT.get(collection, 0)


@pytest.fixture(scope='module')
def populated(tmp_path_factory):
    """A few rows per collection with repeated, boolean and NULL sort values (read-only)."""
    db = db_api.Database('sqlite://')
    models.Base.metadata.create_all(db.engine)
    client = wiring.build_client(
        conf_mod.new_conf(state_path=str(tmp_path_factory.mktemp('state'))),
        ctx.admin_context('admin-tenant'), db=db)
    nets = [client.create_network(name='ab'[i % 2], admin_state_up=i % 2 == 0,
                                  shared=i < 2) for i in range(4)]
    for i in range(4):
        client.create_subnet(network_id=nets[0]['id'], ip_version=4, cidr='10.%d.0.0/24' % i,
                             name='ab'[i % 2], enable_dhcp=i % 2 == 0,
                             gateway_ip=None if i % 2 else '10.%d.0.1' % i)
    for i in range(4):
        client.create_port(network_id=nets[0]['id'], name='ab'[i % 2],
                           admin_state_up=i % 2 == 0, device_owner=('', 'compute:nova')[i % 2])
    for i in range(4):
        client.create_router(name='ab'[i % 2], admin_state_up=i % 2 == 0)
    for i in range(4):
        agent_id = client.services.agents.report_state(
            {'agent_type': 'ab'[i % 2], 'binary': 'ab'[i % 2], 'topic': 't', 'host': str(i)})
        client.update('agents', 'agent', agent_id, {'admin_state_up': i % 2 == 0})
    # The ports above made the tenant's default group (4 rules): 3 more groups make 4.
    groups = [client.create_security_group(name='ab'[i % 2]) for i in range(3)]
    client.delete_security_group_rule(groups[0]['security_group_rules'][0]['id'])
    client.delete_security_group_rule(groups[0]['security_group_rules'][1]['id'])
    default = client.list_security_groups(name='default')[0]
    for rule in default['security_group_rules'][2:]:
        client.delete_security_group_rule(rule['id'])
    for rule in groups[1]['security_group_rules'] + groups[2]['security_group_rules']:
        client.delete_security_group_rule(rule['id'])
    client.create_security_group_rule(security_group_id=groups[1]['id'], direction='ingress',
                                      protocol='tcp', port_range_min=22, port_range_max=22,
                                      remote_ip_prefix='10.0.0.0/8')
    client.create_security_group_rule(security_group_id=groups[1]['id'], direction='ingress',
                                      remote_group_id=groups[2]['id'], description='x')
    # Four floating IPs on nets[3], made external; each holds a port of its own.
    client.update_network(nets[3]['id'], **{'router:external': True})
    client.create_subnet(network_id=nets[3]['id'], ip_version=4, cidr='172.24.4.0/24')
    for i in range(4):
        client.create_floatingip(floating_network_id=nets[3]['id'], description='ab'[i % 2])
    yield client
    db.dispose()


# Rows of the populated fixture beyond four: the floating IPs' subnet and ports.
POPULATED_ROWS = {'subnets': 5, 'ports': 8}


def _page_through(client, collection, sorts):
    seen, marker = [], None
    while True:
        page, more = client.ops.list(client.context, collection, {}, sorts=sorts, limit=1,
                                     marker=marker)
        seen.extend(item['id'] for item in page)
        if not more:
            return seen
        marker = page[-1]['id']


@pytest.mark.parametrize('collection, name', SORTS, ids=_ids(SORTS))
@pytest.mark.parametrize('ascending', [True, False], ids=['asc', 'desc'])
def test_every_sort_key_pages_through_every_row(populated, collection, name, ascending):
    everything = [i['id'] for i in populated.list(collection)]
    seen = _page_through(populated, collection, [(name, ascending)])
    assert sorted(seen) == sorted(everything)
    assert len(everything) == POPULATED_ROWS.get(collection, 4)


def test_required_attributes_are_the_neutron_ones():
    required = {c: sorted(n for n, s in RESOURCES[c].attributes.items()
                          if s.get('allow_post') and 'default' not in s
                          and n not in ('tenant_id', 'project_id')) for c in RESOURCES}
    assert required == {'networks': [], 'subnets': ['cidr', 'ip_version', 'network_id'],
                        'ports': ['network_id'], 'routers': [], 'agents': [],
                        'floatingips': ['floating_network_id'],
                        'security_groups': [],
                        'security_group_rules': ['direction', 'security_group_id']}


# ---- prepare_create / prepare_update ----------------------------------------------------

NETWORK = RESOURCES['networks'].attributes
SUBNET = RESOURCES['subnets'].attributes
PORT = RESOURCES['ports'].attributes


def _error(fn, *args):
    with pytest.raises(exceptions.BadRequest) as info:
        fn(*args)
    return info.value


def test_create_fills_defaults():
    item = attributes.prepare_create(NETWORK, {})
    assert item['name'] == '' and item['description'] == ''
    assert item['admin_state_up'] is True and item['shared'] is False
    port = attributes.prepare_create(PORT, {'network_id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'})
    assert port['fixed_ips'] is ATTR_NOT_SPECIFIED
    assert port['mac_address'] is ATTR_NOT_SPECIFIED
    assert port['device_owner'] == '' and port['device_id'] == ''


def test_create_fills_subnet_defaults():
    item = attributes.prepare_create(SUBNET, {'network_id': '3b9d6f0e-2a4c-4e55-9a53-'
                                              '1f0d3c7b2e11', 'ip_version': 4,
                                              'cidr': '10.0.0.0/24'})
    assert item['ipv6_ra_mode'] is None and item['enable_dhcp'] is True
    for name in ('gateway_ip', 'allocation_pools', 'dns_nameservers', 'host_routes'):
        assert item[name] is ATTR_NOT_SPECIFIED


def test_create_converts_string_booleans_to_real_booleans():
    item = attributes.prepare_create(NETWORK, {'admin_state_up': 'False', 'shared': 'true'})
    assert item['admin_state_up'] is False and item['shared'] is True
    item = attributes.prepare_update(NETWORK, {'admin_state_up': '1'})
    assert item == {'admin_state_up': True}


def test_create_converts_ip_version_string():
    item = attributes.prepare_create(SUBNET, {
        'network_id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11', 'ip_version': '6',
        'cidr': '2001:db8::/64'})
    assert item['ip_version'] == 6


def test_create_unknown_attribute():
    err = _error(attributes.prepare_create, NETWORK, {'name': 'n', 'colour': 'red'})
    assert type(err) is exceptions.InvalidInput
    assert "Unrecognized attribute(s) 'colour'" in str(err)


@pytest.mark.parametrize('name, value', [('status', 'DOWN'), ('subnets', []),
                                         ('id', '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'),
                                         ('created_at', 'now')])
def test_create_read_only_attribute(name, value):
    err = _error(attributes.prepare_create, NETWORK, {name: value})
    assert "Attribute '%s' not allowed in POST" % name in str(err)


def test_create_missing_required_attribute():
    err = _error(attributes.prepare_create, SUBNET, {
        'network_id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11', 'ip_version': 4})
    assert type(err) is exceptions.InvalidInput
    assert "Failed to parse request. Required attribute 'cidr' not specified" in str(err)


def test_create_invalid_value_names_the_attribute():
    err = _error(attributes.prepare_create, SUBNET, {
        'network_id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11', 'ip_version': 4,
        'cidr': '10.0.0.1/24'})
    assert ("Invalid input for cidr. Reason: '10.0.0.1/24' isn't a recognized IP subnet "
            "cidr, '10.0.0.0/24' is recommended") in str(err)
    err = _error(attributes.prepare_create, SUBNET, {
        'network_id': '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11', 'ip_version': 5,
        'cidr': '10.0.0.0/24'})
    assert 'Invalid input for ip_version' in str(err)


def test_create_body_must_be_an_object():
    assert type(_error(attributes.prepare_create, NETWORK, ['n'])) is \
        exceptions.MalformedRequestBody


@pytest.mark.parametrize('collection, name, value', [
    ('networks', 'id', '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'),
    ('networks', 'status', 'DOWN'),
    ('networks', 'tenant_id', 'other'),
    ('subnets', 'cidr', '10.1.0.0/24'),
    ('subnets', 'ip_version', 6),
    ('subnets', 'network_id', '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'),
    ('ports', 'network_id', '3b9d6f0e-2a4c-4e55-9a53-1f0d3c7b2e11'),
    ('ports', 'mac_address', 'fa:16:3e:00:00:01'),
])
def test_update_read_only_attribute(collection, name, value):
    err = _error(attributes.prepare_update, RESOURCES[collection].attributes, {name: value})
    assert type(err) is exceptions.InvalidInput
    assert 'Cannot update read-only attribute %s' % name in str(err)


def test_update_unknown_attribute_and_no_defaults():
    assert "Unrecognized attribute(s) 'x'" in str(
        _error(attributes.prepare_update, PORT, {'x': 1}))
    assert attributes.prepare_update(PORT, {'name': 'p'}) == {'name': 'p'}


def test_update_validates():
    assert 'Invalid input for fixed_ips' in str(
        _error(attributes.prepare_update, PORT, {'fixed_ips': [{'ip_address': '10.1'}]}))
    assert 'Invalid input for name' in str(_error(attributes.prepare_update, PORT,
                                                  {'name': None}))


def test_visible_fields():
    assert 'subnets' in attributes.visible_fields(NETWORK)
    assert sorted(attributes.visible_fields(NETWORK, ['name', 'id', 'bogus'])) == ['id', 'name']
