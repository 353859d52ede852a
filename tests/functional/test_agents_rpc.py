"""Agents report over the real RabbitMQ and appear in GET /v2.0/agents."""

import threading
import time

import oslo_messaging
import pytest

from netmgr import constants as const
from netmgr import context as ctx
from netmgr.rpc import plugin_api
from netmgr.rpc import reports_api
from netmgr.rpc import transport as rpc_transport
from tests.functional.rest_helpers import NO_SUCH_ID, _error

pytestmark = pytest.mark.functional

STATE = {'binary': 'netmgr-ovs-agent', 'topic': const.TOPIC_L2_AGENT,
         'agent_type': const.AGENT_TYPE_OVS,
         'configurations': {'bridge_mappings': {'physnet1': 'br-eth1'}}}


@pytest.fixture(scope='module')
def server(module_server_factory, rpc_options):
    return module_server_factory('agents', api_workers=2, agent_down_time=3, **rpc_options)


@pytest.fixture(scope='module')
def reports(rpc_transport_for_tests):
    return reports_api.ReportStateAPI(rpc_transport_for_tests, timeout=30)


def _agents(api, **filters):
    resp = api.get('/v2.0/agents', query=filters)
    assert resp.status == 200, resp
    return resp.json['agents']


def test_reported_agent_is_listed_alive_then_dies(server, reports):
    api = server.client()
    state = dict(STATE, host='hv-alive', start_flag=True)
    agent_id = reports.report_state(ctx.admin_context(), state, use_call=True)
    [agent] = _agents(api, host='hv-alive')
    assert agent['id'] == agent_id and agent['alive'] is True
    assert agent['agent_type'] == 'Open vSwitch agent'
    assert agent['configurations'] == STATE['configurations']
    time.sleep(4)  # agent_down_time = 3
    assert _agents(api, host='hv-alive')[0]['alive'] is False
    reports.report_state(ctx.admin_context(), dict(STATE, host='hv-alive'), use_call=True)
    assert _agents(api, host='hv-alive')[0]['alive'] is True


def test_cast_reports_arrive(server, reports):
    api = server.client()
    reports.report_state(ctx.admin_context(), dict(STATE, host='hv-cast'))
    deadline = time.monotonic() + 20
    while not _agents(api, host='hv-cast') and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [a['host'] for a in _agents(api, host='hv-cast')] == ['hv-cast']


def test_admin_update_delete_and_errors(server, reports):
    api = server.client()
    agent_id = reports.report_state(ctx.admin_context(), dict(STATE, host='hv-admin'),
                                    use_call=True)
    path = '/v2.0/agents/%s' % agent_id
    resp = api.put(path, {'agent': {'admin_state_up': False, 'description': 'drain'}})
    assert resp.status == 200, resp
    assert resp.json['agent']['admin_state_up'] is False
    _error(api.put(path, {'agent': {'host': 'other'}}), 400, 'InvalidInput')
    _error(api.post('/v2.0/agents', {'agent': {}}), 405, 'MethodNotAllowed')
    tenant = api.as_tenant('agent-curious')
    assert _agents(tenant) == []
    _error(tenant.get(path), 404, 'AgentNotFound')
    assert api.delete(path).status == 204
    _error(api.get(path), 404, 'AgentNotFound')
    _error(api.get('/v2.0/agents/%s' % NO_SUCH_ID), 404, 'AgentNotFound')


def test_agent_extension_is_listed(server):
    resp = server.client().get('/v2.0/extensions/agent')
    assert resp.status == 200 and resp.json['extension']['alias'] == 'agent', resp


def test_openstack_network_agent_list(server, reports, openstack_cli_factory):
    cli = openstack_cli_factory(server)
    agent_id = reports.report_state(ctx.admin_context(), dict(STATE, host='hv-cli'),
                                    use_call=True)
    listed = cli('network', 'agent', 'list', '--host', 'hv-cli', '-f', 'json')
    assert [(a['ID'], a['Agent Type'], a['Host'], a['Alive'], a['State'])
            for a in listed] == [(agent_id, 'Open vSwitch agent', 'hv-cli', True, True)]
    cli('network', 'agent', 'set', '--disable', agent_id)
    shown = cli('network', 'agent', 'show', agent_id, '-f', 'json')
    assert shown['admin_state_up'] is False and shown['binary'] == 'netmgr-ovs-agent'
    cli('network', 'agent', 'delete', agent_id)
    assert cli('network', 'agent', 'list', '--host', 'hv-cli', '-f', 'json') == []


def test_binding_device_details_and_notifications_over_rabbitmq(server, reports,
                                                                rpc_transport_for_tests):
    class Listener:
        target = oslo_messaging.Target(version='1.0')

        def __init__(self):
            self.ports = []
            self.changed = threading.Event()

        def port_update(self, context, port, **segment):
            self.ports.append((port['id'], port['admin_state_up'], segment))
            self.changed.set()

    listener = Listener()
    agent_side = rpc_transport.get_server(rpc_transport_for_tests, const.TOPIC_L2_AGENT,
                                          'hv-bind', [listener])
    agent_side.start()
    try:
        state = dict(STATE, host='hv-bind', configurations={'tunnel_types': ['vxlan'],
                                                            'datapath_type': 'netdev'})
        reports.report_state(ctx.admin_context(), state, use_call=True)
        api = server.client()
        network = api.create('network', name='bind-net')
        api.create('subnet', network_id=network['id'], cidr='10.33.0.0/24', ip_version=4)
        port = api.create('port', network_id=network['id'],
                          **{'binding:host_id': 'hv-bind'})
        assert port['binding:vif_type'] == 'ovs', port
        assert port['binding:vif_details']['datapath_type'] == 'netdev'

        plugin = plugin_api.PluginApi(rpc_transport_for_tests, timeout=30)
        context = ctx.admin_context()
        [details] = plugin.get_devices_details_list(context, [port['id']], 'a1', 'hv-bind')
        assert details['network_type'] == 'vxlan' and details['segmentation_id']
        plugin.update_device_list(context, [port['id']], [], 'a1', 'hv-bind')
        assert api.get('/v2.0/ports/%s' % port['id']).json['port']['status'] == 'ACTIVE'

        resp = api.put('/v2.0/ports/%s' % port['id'], {'port': {'admin_state_up': False}})
        assert resp.status == 200, resp
        assert listener.changed.wait(20)
        assert listener.ports[-1][:2] == (port['id'], False)
        assert listener.ports[-1][2]['network_type'] == 'vxlan'
    finally:
        agent_side.stop()
        agent_side.wait()
