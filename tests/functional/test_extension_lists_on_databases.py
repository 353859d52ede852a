"""Port and network lists on SQLite, MariaDB and PostgreSQL: extension attributes of a page too
big for an IN list (read through the page's own query, sorted and limited) equal those of the
same resources shown one by one, and match what was stored."""

import pytest

from netmgr import conf as nm_conf
from netmgr import context as nm_context
from netmgr.db.queries import listing
from netmgr import wiring

pytestmark = pytest.mark.functional

GROUP_MAC = 'fa:16:3e:00:00:09'


@pytest.fixture
def admin(database, monkeypatch):
    monkeypatch.setattr(listing, 'IN_LIST_MAX', 2)
    return wiring.build_client(nm_conf.new_conf(), nm_context.admin_context('admin'),
                               db=database)


def _pages(admin, collection, limit, sorts, reverse=False):
    """Every page of a walk, as lists of resources."""
    pages, marker = [], None
    while True:
        items, more = admin.ops.list(admin.context, collection, sorts=sorts, limit=limit,
                                     marker=marker, page_reverse=reverse)
        pages.append(items)
        if not more:
            return pages
        marker = items[0 if reverse else -1]['id']


def test_big_pages_carry_the_extension_attributes(admin):
    net = admin.create_network(name='n')
    admin.create_subnet(network_id=net['id'], ip_version=4, cidr='10.3.0.0/24')
    groups = sorted(admin.create_security_group(name='g%d' % i)['id'] for i in range(3))
    expected = {}
    for i in range(9):
        attrs = {'name': 'p%d' % (8 - i)}
        if i % 3 == 1:
            attrs.update(port_security_enabled=False, security_groups=[])
        elif i % 3 == 2:
            attrs.update(security_groups=groups[::-1] if i % 2 else groups[1:],
                         allowed_address_pairs=[{'ip_address': '10.3.1.%d' % i},
                                                {'ip_address': '10.3.0.0/28',
                                                 'mac_address': GROUP_MAC}],
                         **{'binding:host_id': 'host-%d' % i,
                            'binding:profile': {'slot': i, 'tags': ['a', 'b']}})
        port = admin.create_port(network_id=net['id'], **attrs)
        pairs = sorted([('10.3.1.%d' % i, port['mac_address']), ('10.3.0.0/28', GROUP_MAC)]
                       if i % 3 == 2 else [])
        expected[port['id']] = {
            'port_security_enabled': i % 3 != 1,
            'security_groups': (sorted(attrs['security_groups']) if 'security_groups' in attrs
                                else port['security_groups']),
            'allowed_address_pairs': [{'ip_address': ip, 'mac_address': mac}
                                      for ip, mac in pairs],
            'binding:host_id': attrs.get('binding:host_id', ''),
            'binding:profile': attrs.get('binding:profile', {})}

    def check(ports):
        for port in ports:
            assert {k: port[k] for k in expected[port['id']]} == expected[port['id']]
            assert port == admin.show_port(port['id'])

    listed = admin.list_ports()
    assert len(listed) == 9
    check(listed)
    by_name = sorted(listed, key=lambda p: p['name'])
    for limit, sorts, reverse in ((3, [('name', True)], False), (4, [('name', False)], False),
                                  (3, [('name', True)], True)):
        pages = _pages(admin, 'ports', limit, sorts, reverse)
        walked = [p for page in pages for p in page]
        if reverse:
            walked = [p for page in reversed(pages) for p in page]
        assert [p['id'] for p in walked] == [
            p['id'] for p in (by_name if sorts[0][1] else by_name[::-1])]
        for page in pages:
            check(page)


def test_big_pages_of_networks_carry_the_extension_attributes(admin):
    made = [admin.create_network(name='n%d' % i, port_security_enabled=i % 2 == 0,
                                 **{'router:external': i % 3 == 0}) for i in range(6)]
    for page in _pages(admin, 'networks', 4, [('name', True)]):
        for network in page:
            i = int(network['name'][1:])
            assert network['port_security_enabled'] is (i % 2 == 0)
            assert network['router:external'] is (i % 3 == 0)
            assert network == admin.show_network(network['id'])
    assert {n['id'] for n in admin.list_networks()} == {n['id'] for n in made}
