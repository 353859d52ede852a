"""agents: state reports create and refresh rows; admins see, disable and delete them."""

import datetime

import pytest

from netmgr import constants as const
from netmgr import context as ctx
from netmgr import exceptions
from netmgr.rpc import reports_api
from netmgr.services.rpc import server
from netmgr.rpc import transport as rpc_transport
from tests.unit.conftest import as_tenant

OVS_STATE = {'binary': 'netmgr-ovs-agent', 'host': 'compute-1', 'topic': 'N/A',
             'agent_type': const.AGENT_TYPE_OVS,
             'configurations': {'bridge_mappings': {'physnet1': 'br-eth1'}}}


class Clock:
    def __init__(self):
        self.now = datetime.datetime(2026, 11, 21, 12, 0, 0)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(client):
    fake = Clock()
    client.services.agents.clock = fake
    return fake


def test_first_report_creates_an_alive_agent(client, clock):
    agent_id = client.services.agents.report_state(dict(OVS_STATE, start_flag=True))
    [agent] = client.list('agents')
    assert agent['id'] == agent_id
    assert agent['agent_type'] == 'Open vSwitch agent' and agent['host'] == 'compute-1'
    assert agent['alive'] is True and agent['admin_state_up'] is True
    assert agent['configurations'] == {'bridge_mappings': {'physnet1': 'br-eth1'}}
    assert agent['heartbeat_timestamp'] == '2026-11-21 12:00:00'
    assert agent['started_at'] == agent['created_at'] == '2026-11-21 12:00:00'


def test_later_reports_refresh_the_same_row(client, clock):
    services = client.services.agents
    first = services.report_state(dict(OVS_STATE, start_flag=True))
    clock.advance(30)
    second = services.report_state(dict(OVS_STATE, configurations={'devices': 3}))
    assert first == second
    agent = client.show('agents', 'agent', first)
    assert agent['heartbeat_timestamp'] == '2026-11-21 12:00:30'
    assert agent['started_at'] == '2026-11-21 12:00:00'
    assert agent['configurations'] == {'devices': 3}
    clock.advance(30)
    services.report_state(dict(OVS_STATE, start_flag=True))
    assert client.show('agents', 'agent', first)['started_at'] == '2026-11-21 12:01:00'


def test_agent_is_dead_after_agent_down_time(client, clock):
    services = client.services.agents
    agent_id = services.report_state(OVS_STATE)
    services.report_state(dict(OVS_STATE, host='compute-2'))
    clock.advance(client.ops.conf.agent_down_time + 1)
    services.report_state(dict(OVS_STATE, host='compute-2'))
    assert client.show('agents', 'agent', agent_id)['alive'] is False
    assert [a['host'] for a in client.list('agents', alive=True)] == ['compute-2']
    assert [a['host'] for a in client.list('agents', alive='false')] == ['compute-1']
    assert services.alive_agents(const.AGENT_TYPE_OVS, 'compute-1') == []
    assert len(services.alive_agents(const.AGENT_TYPE_OVS, 'compute-2')) == 1


def test_filters_by_type_and_host(client, clock):
    services = client.services.agents
    services.report_state(OVS_STATE)
    services.report_state(dict(OVS_STATE, agent_type=const.AGENT_TYPE_DHCP,
                               binary='netmgr-dhcp-agent', topic=const.TOPIC_DHCP_AGENT))
    assert [a['binary'] for a in client.list('agents', agent_type='DHCP agent')] == \
        ['netmgr-dhcp-agent']
    assert len(client.list('agents', host='compute-1')) == 2


def test_admin_disables_and_deletes(client, clock):
    services = client.services.agents
    agent_id = services.report_state(OVS_STATE)
    agent = client.update('agents', 'agent', agent_id,
                          {'admin_state_up': False, 'description': 'maintenance'})
    assert agent['admin_state_up'] is False and agent['description'] == 'maintenance'
    assert services.alive_agents(const.AGENT_TYPE_OVS, 'compute-1') == []
    services.report_state(OVS_STATE)   # a report does not re-enable it
    assert client.show('agents', 'agent', agent_id)['admin_state_up'] is False
    client.delete('agents', agent_id)
    with pytest.raises(exceptions.AgentNotFound):
        client.show('agents', 'agent', agent_id)


def test_read_only_attributes_are_refused(client, clock):
    agent_id = client.services.agents.report_state(OVS_STATE)
    with pytest.raises(exceptions.BadRequest):
        client.update('agents', 'agent', agent_id, {'host': 'elsewhere'})


def test_tenants_see_no_agents(client, clock):
    agent_id = client.services.agents.report_state(OVS_STATE)
    tenant = as_tenant(client, 'tenant-a')
    assert tenant.list('agents') == []
    with pytest.raises(exceptions.AgentNotFound):
        tenant.show('agents', 'agent', agent_id)
    with pytest.raises(exceptions.AgentNotFound):
        tenant.update('agents', 'agent', agent_id, {'admin_state_up': False})


def test_incomplete_report_is_refused(client):
    with pytest.raises(exceptions.InvalidInput):
        client.services.agents.report_state({'host': 'h', 'agent_type': 'x'})


def test_report_over_rpc_reaches_the_database(client, make_conf):
    """The client/endpoint pair over oslo.messaging's in-process transport."""
    conf = make_conf(transport_url='fake://', host='server-1')
    transport = rpc_transport.get_transport(conf)
    service = server.RpcService(conf, client.services, transport=transport).start()
    try:
        api = reports_api.ReportStateAPI(transport, timeout=10)
        agent_id = api.report_state(ctx.admin_context(), OVS_STATE, use_call=True)
    finally:
        service.stop()
        transport.cleanup()
    assert client.show('agents', 'agent', agent_id)['host'] == 'compute-1'
