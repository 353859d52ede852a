"""Overlay networks on a real server and the real RabbitMQ: vxlan, gre and geneve networks
through the REST API with Neutron's MTUs, and L2 population as an agent sees it (the add
cast when a port is reported up, and get_fdb_entries)."""

import threading

import oslo_messaging
import pytest

from netmgr import constants as const
from netmgr import context as ctx
from netmgr.rpc import agent_notify_api
from netmgr.rpc import plugin_api
from netmgr.rpc import reports_api
from netmgr.rpc import transport as rpc_transport

pytestmark = pytest.mark.functional

FLOOD = list(const.FLOODING_ENTRY)
TUNNEL_TYPES = ['vxlan', 'gre', 'geneve']
HOSTS = {'ovl-a': '192.0.2.61', 'ovl-b': '192.0.2.62'}


@pytest.fixture(scope='module')
def server(module_server_factory, rpc_options):
    # Tenant networks are vxlan and there is no VLAN configuration at all.
    return module_server_factory('overlays', sections={'l2': {
        'tenant_network_types': 'vxlan', 'tunnel_id_ranges': '100:199',
        'geneve_vni_ranges': '200:299'}}, **rpc_options)


class FdbListener:
    """An L2 agent's notification endpoint (notify API 1.3) that keeps the FDB casts."""
    target = oslo_messaging.Target(version=agent_notify_api.VERSION)

    def __init__(self):
        self.casts = []
        self.arrived = threading.Condition()

    def _keep(self, method, fdb_entries):
        with self.arrived:
            self.casts.append((method, fdb_entries))
            self.arrived.notify_all()

    def add_fdb_entries(self, context, fdb_entries):
        self._keep('add', fdb_entries)

    def remove_fdb_entries(self, context, fdb_entries):
        self._keep('remove', fdb_entries)

    def tunnel_update(self, context, **kwargs):
        pass

    def port_update(self, context, **kwargs):
        pass

    def wait_for(self, network_id, method, timeout=20):
        """The first cast of ``method`` that names ``network_id``."""
        def found():
            return next((entries[network_id] for m, entries in self.casts
                         if m == method and network_id in entries), None)
        with self.arrived:
            self.arrived.wait_for(found, timeout)
            return found()


@pytest.fixture
def listener(rpc_transport_for_tests):
    listener = FdbListener()
    agent_side = rpc_transport.get_server(rpc_transport_for_tests, const.TOPIC_L2_AGENT,
                                          'ovl-a', [listener])
    agent_side.start()
    yield listener
    agent_side.stop()
    agent_side.wait()


def test_overlay_networks_and_their_mtus(server):
    admin = server.client()
    made = {t: admin.create('network', name='ovl-' + t, **{'provider:network_type': t})
            for t in TUNNEL_TYPES}
    assert {t: n['mtu'] for t, n in made.items()} == {'vxlan': 1450, 'gre': 1458,
                                                      'geneve': 1450}
    assert made['gre']['provider:segmentation_id'] == 100
    assert made['geneve']['provider:segmentation_id'] == 200
    chosen = admin.create('network', name='ovl-gre-key', **{
        'provider:network_type': 'gre', 'provider:segmentation_id': 4294967295})
    assert chosen['provider:segmentation_id'] == 4294967295
    resp = admin.post('/v2.0/networks', {'network': {
        'name': 'taken', 'provider:network_type': 'gre',
        'provider:segmentation_id': 4294967295}})
    assert resp.status == 409 and resp.error['type'] == 'TunnelIdInUse', resp

    tenant = admin.as_tenant('ovl-tenant')
    mine = tenant.create('network', name='ovl-tenant-net')
    assert mine['mtu'] == 1450 and 'provider:network_type' not in mine
    assert admin.show('network', mine['id'])['provider:network_type'] == 'vxlan'


def test_an_agent_hears_of_a_port_up_and_pulls_the_entries(server, listener,
                                                           rpc_transport_for_tests):
    context = ctx.admin_context()
    plugin = plugin_api.PluginApi(rpc_transport_for_tests, timeout=30)
    reports = reports_api.ReportStateAPI(rpc_transport_for_tests, timeout=30)
    for host, ip in HOSTS.items():
        reports.report_state(context, {
            'binary': 'netmgr-ovs-agent', 'topic': const.TOPIC_L2_AGENT, 'host': host,
            'agent_type': const.AGENT_TYPE_OVS,
            'configurations': {'tunnel_types': TUNNEL_TYPES}}, use_call=True)
        for tunnel_type in TUNNEL_TYPES:
            plugin.tunnel_sync(context, ip, tunnel_type, host)

    admin = server.client()
    network = admin.create('network', name='ovl-l2pop', **{'provider:network_type': 'gre'})
    subnet = admin.create('subnet', network_id=network['id'], ip_version=4,
                          cidr='10.61.0.0/24')
    port = admin.create('port', network_id=network['id'], **{
        'binding:host_id': 'ovl-b',
        'fixed_ips': [{'subnet_id': subnet['id'], 'ip_address': '10.61.0.10'}]})
    assert port['binding:vif_type'] == 'ovs', port

    plugin.update_device_list(context, [port['id']], [], 'agent-b', 'ovl-b')
    expected = {'segment_id': network['provider:segmentation_id'], 'network_type': 'gre',
                'ports': {HOSTS['ovl-b']: [FLOOD, [port['mac_address'], '10.61.0.10']]}}
    assert listener.wait_for(network['id'], 'add') == expected
    assert plugin.get_fdb_entries(context, [network['id']], 'ovl-a') == {
        network['id']: expected}
    assert plugin.get_fdb_entries(context, [network['id']], 'ovl-b') == {}

    admin.remove('port', port['id'])
    assert listener.wait_for(network['id'], 'remove') == expected
