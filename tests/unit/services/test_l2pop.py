"""L2 population on the in-memory database: which ports of tunnel networks count, the FDB
entries agents pull (get_fdb_entries), and the add/remove entries the services hand to the
notifier after commit - one of each per call at most."""

import threading

import oslo_messaging
import pytest
import sqlalchemy as sa

from netmgr import client as client_mod
from netmgr import constants as const
from netmgr import context as ctx
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.rpc import agent_notify_api
from netmgr.rpc import plugin_api
from netmgr.rpc import transport as rpc_transport
from netmgr.services import notifier
from netmgr.services.rpc import server as rpc_server
from netmgr import wiring
from tests.unit import conftest as unit_conftest

FLOOD = list(const.FLOODING_ENTRY)
TUNNEL_IPS = {'h1': '192.0.2.1', 'h2': '192.0.2.2', 'h3': '192.0.2.3'}
OPTIONS = {'l2.network_vlan_ranges': ['physnet1:100:199']}


class FdbRecorder(notifier.NullNotifier):
    """The notifier's fdb_changed calls that carry something: [(added, removed)]."""

    def __init__(self):
        self.calls = []

    def fdb_changed(self, context, added, removed):
        if added or removed:
            self.calls.append((added, removed))


class Lab:
    def __init__(self, client):
        self.client = client
        self.services = client.services
        self.recorder = client.services.notifier
        for host, ip in TUNNEL_IPS.items():
            self.services.tunnels.sync(ip, 'vxlan', host)
        self.network = client.create_network(name='tunnelled')   # vxlan, VNI 1
        self.subnet = client.create_subnet(network_id=self.network['id'], ip_version=4,
                                           cidr='10.0.0.0/24')
        self.count = 0

    def port(self, host, ips=None, network=None, subnet=None, **attrs):
        """A port bound to ``host`` with MAC fa:16:3e:00:00:0N and the addresses 10.0.0.x
        of ``ips`` (None: 10.0.0.1N; []: none)."""
        self.count += 1
        network, subnet = network or self.network, subnet or self.subnet
        if ips is None:
            ips = ['10.0.0.%d' % (10 + self.count)]
        return self.client.create_port(
            network_id=network['id'], mac_address='fa:16:3e:00:00:%02d' % self.count,
            fixed_ips=[{'subnet_id': subnet['id'], 'ip_address': ip} for ip in ips],
            **{'binding:host_id': host}, **attrs)

    def report(self, host, up=(), down=()):
        return self.services.devices.report([p['id'] for p in up], [p['id'] for p in down],
                                            host)

    def entries(self, network_ids=None, host='elsewhere'):
        return self.services.l2pop.fdb_entries(network_ids or [self.network['id']], host)

    def fdb(self, ports, network=None, segment_id=1, network_type='vxlan'):
        """The FDB entries of one network: ``ports`` {host: [pairs]}."""
        network = network or self.network
        hosts = {TUNNEL_IPS[h]: pairs for h, pairs in ports.items()}
        return {network['id']: {'segment_id': segment_id, 'network_type': network_type,
                                'ports': hosts}}

    def taken(self):
        calls, self.recorder.calls = self.recorder.calls, []
        return calls


def pair(port):
    return [[port['mac_address'], ip['ip_address']] for ip in port['fixed_ips']] or \
        [[port['mac_address'], '']]


@pytest.fixture
def lab(make_conf):
    db = unit_conftest.new_schema_db()
    ops, services = wiring.build(make_conf(**OPTIONS), db,
                                 notifier_factory=lambda _db, _driver: FdbRecorder())
    yield Lab(client_mod.Client(ops, ctx.admin_context(unit_conftest.ADMIN_TENANT), services))
    db.dispose()


def test_the_entries_of_a_network_across_three_hosts(lab):
    on_h1 = lab.port('h1', ips=['10.0.0.21', '10.0.0.3'])    # one pair per fixed IP
    on_h2 = lab.port('h2', ips=[])                           # [mac, ''] without any
    on_h3 = lab.port('h3')
    asleep = lab.port('h3')                                  # never reported up
    for host, port in (('h1', on_h1), ('h2', on_h2), ('h3', on_h3)):
        lab.report(host, up=[port])
    everywhere = lab.fdb({'h1': [FLOOD] + pair(on_h1), 'h2': [FLOOD] + pair(on_h2),
                          'h3': [FLOOD] + pair(on_h3)})
    assert lab.entries() == everywhere
    assert pair(on_h1) == [['fa:16:3e:00:00:01', '10.0.0.21'],
                           ['fa:16:3e:00:00:01', '10.0.0.3']]
    assert pair(on_h2) == [['fa:16:3e:00:00:02', '']]
    # An agent gets the others' entries, never its own host's.
    assert lab.entries(host='h1') == lab.fdb({'h2': [FLOOD] + pair(on_h2),
                                              'h3': [FLOOD] + pair(on_h3)})
    assert pair(asleep)[0] not in lab.entries()[lab.network['id']]['ports']['192.0.2.3']


def test_one_query_answers_for_every_network_asked(lab):
    other = lab.client.create_network(name='other')          # vxlan, VNI 2
    subnet = lab.client.create_subnet(network_id=other['id'], ip_version=4,
                                      cidr='10.1.0.0/24')
    mine = lab.port('h1')
    theirs = lab.port('h2', ips=['10.1.0.5'], network=other, subnet=subnet)
    lab.report('h1', up=[mine])
    lab.report('h2', up=[theirs])
    sent = []

    def count(_conn, _cursor, statement, *_args):
        sent.append(statement.split()[0])
    engine = lab.services.db.engine
    sa.event.listen(engine, 'before_cursor_execute', count)
    try:
        found = lab.entries([lab.network['id'], other['id'], 'no-such-network'], host='h3')
    finally:
        sa.event.remove(engine, 'before_cursor_execute', count)
    assert sent.count('SELECT') == 1
    assert found == dict(lab.fdb({'h1': [FLOOD] + pair(mine)}),
                         **lab.fdb({'h2': [FLOOD] + pair(theirs)}, network=other,
                                   segment_id=2))
    assert lab.entries([other['id']], host='h2') == {}       # nothing but its own port
    assert lab.services.l2pop.fdb_entries([], 'h1') == {}


def test_the_flood_entry_comes_with_a_hosts_first_active_port_and_goes_with_its_last(lab):
    first, second = lab.port('h2'), lab.port('h2')
    lab.report('h2', up=[first])
    assert lab.taken() == [(lab.fdb({'h2': [FLOOD] + pair(first)}), {})]
    lab.report('h2', up=[second])
    assert lab.taken() == [(lab.fdb({'h2': [FLOOD] + pair(second)}), {})]
    lab.report('h2', down=[first])        # the host still has a port: it stays flooded
    assert lab.taken() == [({}, lab.fdb({'h2': pair(first)}))]
    lab.client.delete_port(second['id'])  # its last: no more flooding to h2
    assert lab.taken() == [({}, lab.fdb({'h2': [FLOOD] + pair(second)}))]
    assert lab.entries() == {}


def test_a_host_without_a_tunnel_endpoint_of_the_networks_type_is_ignored(lab):
    lab.services.tunnels.sync('192.0.2.9', 'gre', 'h9')      # an endpoint, but not vxlan
    lonely = lab.port('h9')
    assert lab.report('h9', up=[lonely])['devices_up'] == [lonely['id']]
    assert lab.client.show_port(lonely['id'])['status'] == 'ACTIVE'
    lab.report('h9', down=[lonely])
    lab.client.delete_port(lonely['id'])
    assert lab.taken() == [] and lab.entries() == {}


def test_ports_of_vlan_networks_never_count(lab):
    vlan = lab.client.create_network(name='v', **{'provider:network_type': 'vlan',
                                                  'provider:physical_network': 'physnet1'})
    subnet = lab.client.create_subnet(network_id=vlan['id'], ip_version=4,
                                      cidr='10.1.0.0/24')
    port = lab.port('h1', ips=['10.1.0.5'], network=vlan, subnet=subnet)
    lab.report('h1', up=[port])
    assert lab.taken() == [] and lab.entries([vlan['id']]) == {}


def test_a_device_list_is_one_add_and_one_remove(lab):
    ports = [lab.port('h2') for _ in range(3)] + [lab.port('h3')]
    answer = lab.report('h2', up=ports[:3])
    assert answer['devices_up'] == [p['id'] for p in ports[:3]]
    assert lab.taken() == [(lab.fdb({'h2': [FLOOD] + sorted(sum(map(pair, ports[:3]), []))}),
                            {})]
    lab.report('h3', up=[ports[3]])
    lab.taken()
    answer = lab.report('h2', up=[lab.port('h2')], down=ports[:2])
    [(added, removed)] = lab.taken()
    assert removed == lab.fdb({'h2': sorted(pair(ports[0]) + pair(ports[1]))})
    assert list(added[lab.network['id']]['ports']) == ['192.0.2.2']
    assert answer['devices_down'] == [ports[0]['id'], ports[1]['id']]


def test_ports_reported_by_another_host_move_nothing(lab):
    port = lab.port('h2')
    answer = lab.report('h3', up=[port])
    assert answer['failed_devices_up'] == [port['id']] and lab.taken() == []


def test_new_fixed_ips_remove_the_old_pairs_and_add_the_current_ones(lab):
    port = lab.port('h2', ips=['10.0.0.50', '10.0.0.51'])
    lab.report('h2', up=[port])
    lab.taken()
    changed = lab.client.update_port(port['id'], fixed_ips=[
        {'subnet_id': lab.subnet['id'], 'ip_address': '10.0.0.51'},
        {'subnet_id': lab.subnet['id'], 'ip_address': '10.0.0.52'}])
    mac = port['mac_address']
    assert lab.taken() == [(lab.fdb({'h2': pair(changed)}),
                            lab.fdb({'h2': [[mac, '10.0.0.50']]}))]
    lab.client.update_port(port['id'], name='renamed')
    assert lab.taken() == []


def test_a_binding_moving_away_removes_the_port_from_its_old_host(lab):
    port = lab.port('h2')
    lab.report('h2', up=[port])
    lab.taken()
    lab.client.update_port(port['id'], **{'binding:host_id': 'h3'})
    assert lab.taken() == [({}, lab.fdb({'h2': [FLOOD] + pair(port)}))]
    lab.report('h3', up=[port])           # wired on its new host: announced there
    assert lab.taken() == [(lab.fdb({'h3': [FLOOD] + pair(port)}), {})]


def test_dhcp_and_router_ports_count_and_go_with_their_network_or_router(lab):
    dhcp = lab.port('h1', device_owner=const.DEVICE_OWNER_DHCP, device_id='dhcp-h1')
    router = lab.client.create_router(name='r')
    interface = lab.client.add_router_interface(router['id'], subnet_id=lab.subnet['id'])
    gateway = lab.client.update_port(interface['port_id'], **{'binding:host_id': 'h1'})
    lab.report('h1', up=[dhcp, gateway])
    assert lab.taken() == [(lab.fdb({'h1': [FLOOD] + sorted(pair(dhcp) + pair(gateway))}),
                            {})]
    lab.client.remove_router_interface(router['id'], subnet_id=lab.subnet['id'])
    assert lab.taken() == [({}, lab.fdb({'h1': pair(gateway)}))]
    lab.client.delete_subnet(lab.subnet['id'])      # the DHCP port loses its address
    assert lab.taken() == [(lab.fdb({'h1': [[dhcp['mac_address'], '']]}),
                            lab.fdb({'h1': pair(dhcp)}))]
    lab.client.delete_network(lab.network['id'])
    assert lab.taken() == [({}, lab.fdb({'h1': [FLOOD, [dhcp['mac_address'], '']]}))]


def test_a_router_gateway_on_a_tunnel_network_goes_with_the_gateway(lab):
    external = lab.client.create_network(name='ext', **{'router:external': True})
    subnet = lab.client.create_subnet(network_id=external['id'], ip_version=4,
                                      cidr='172.24.4.0/24')
    router = lab.client.create_router(name='r', external_gateway_info={
        'network_id': external['id'],
        'external_fixed_ips': [{'subnet_id': subnet['id'], 'ip_address': '172.24.4.2'}]})
    [gateway] = lab.client.list_ports(device_id=[router['id']])
    gateway = lab.client.update_port(gateway['id'], **{'binding:host_id': 'h1'})
    lab.report('h1', up=[gateway])
    lab.taken()
    lab.client.update_router(router['id'], external_gateway_info=None)
    assert lab.taken() == [({}, lab.fdb({'h1': [FLOOD] + pair(gateway)}, network=external,
                                        segment_id=2))]


# ---- over oslo.messaging's fake transport -------------------------------------------------

class FakeL2Agent:
    """An agent-side endpoint of notify API 1.3 that reads, as each message arrives, the
    status of the ports it names from the database (a session of its own)."""
    target = oslo_messaging.Target(version=agent_notify_api.VERSION)

    def __init__(self, db):
        self.db = db
        self.seen = []
        self.arrived = threading.Condition()

    def _record(self, method, fdb_entries):
        ports = core.Port.__table__
        macs = [pair[0] for network in fdb_entries.values()
                for pairs in network['ports'].values() for pair in pairs
                if pair != FLOOD]
        with self.db.reader() as session:
            statuses = sorted(session.execute(sa.select(ports.c.status).where(
                ports.c.mac_address.in_(macs))).scalars())
        with self.arrived:
            self.seen.append((method, fdb_entries, statuses))
            self.arrived.notify_all()

    def add_fdb_entries(self, context, fdb_entries):
        self._record('add', fdb_entries)

    def remove_fdb_entries(self, context, fdb_entries):
        self._record('remove', fdb_entries)

    def wait_for(self, count, timeout=10):
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.seen) >= count, timeout)
        return list(self.seen)


@pytest.fixture
def wired(make_conf, tmp_path):
    conf = make_conf(transport_url='fake://', host='server-1', **OPTIONS)
    transport = rpc_transport.get_transport(conf)
    # A database file: the agent reads it in its own thread while the server writes (one
    # shared in-memory connection cannot hold two transactions).
    db = db_api.Database('sqlite:///%s' % (tmp_path / 'netmgr.sqlite'))
    core.Base.metadata.create_all(db.engine)
    ops, services = wiring.build(conf, db, transport=transport)
    agent = FakeL2Agent(db)
    servers = rpc_server.RpcService(conf, services, transport=transport).servers + [
        rpc_transport.get_server(transport, const.TOPIC_L2_AGENT, 'h3', [agent])]
    for server in servers:
        server.start()
    yield (Lab(client_mod.Client(ops, ctx.admin_context(unit_conftest.ADMIN_TENANT),
                                 services)),
           plugin_api.PluginApi(transport, timeout=10), agent)
    for server in servers:
        server.stop()
        server.wait()
    transport.cleanup()
    db.dispose()


def test_entries_are_cast_after_commit_and_pulled_over_rpc(wired):
    lab, plugin, agent = wired
    context = ctx.admin_context()
    ports = [lab.port('h2'), lab.port('h2')]
    answer = plugin.update_device_list(context, [p['id'] for p in ports], [], 'a2', 'h2')
    assert answer['devices_up'] == [p['id'] for p in ports]
    [(method, entries, statuses)] = agent.wait_for(1)
    expected = lab.fdb({'h2': [FLOOD] + pair(ports[0]) + pair(ports[1])})
    # One cast for both ports, sent once the ports' ACTIVE status was committed.
    assert (method, entries, statuses) == ('add', expected, ['ACTIVE', 'ACTIVE'])
    assert plugin.get_fdb_entries(context, [lab.network['id']], 'h3') == expected
    assert plugin.get_fdb_entries(context, [lab.network['id']], 'h2') == {}

    plugin.update_device_down(context, ports[0]['id'], 'a2', 'h2')
    lab.client.delete_port(ports[1]['id'])
    seen = agent.wait_for(3)
    assert seen[1:] == [('remove', lab.fdb({'h2': pair(ports[0])}), ['DOWN']),
                        ('remove', lab.fdb({'h2': [FLOOD] + pair(ports[1])}), [])]


def test_the_api_versions_of_the_contract():
    assert agent_notify_api.VERSION == '1.3' and plugin_api.VERSION == '1.4'
