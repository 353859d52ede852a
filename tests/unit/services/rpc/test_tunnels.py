"""Tunnel endpoints: an L2 agent's tunnel_sync records its host's tunnel IP and answers every
host's; a new or changed endpoint is announced to the L2 agents (tunnel_update) after commit."""

import functools
import threading

import pytest

from netmgr.agent.l2 import notify_endpoint
from netmgr.agent.l2.ovs import agent as ovs_agent
from netmgr import constants as const
from netmgr import context as ctx
from netmgr import exceptions
from netmgr.rpc import plugin_api
from netmgr.rpc import transport as rpc_transport
from netmgr.services import notifier
from netmgr.services.rpc import server as rpc_server
from netmgr.services.rpc import tunnels
from netmgr import wiring
from tests.unit import conftest as unit_conftest


class Announcements:
    def __init__(self):
        self.seen = []

    def tunnel_added(self, context, tunnel_ip, tunnel_type, host):
        self.seen.append((tunnel_ip, tunnel_type, host))


@pytest.fixture
def service():
    db = unit_conftest.new_schema_db()
    yield tunnels.TunnelService(db, Announcements())
    db.dispose()


def _endpoint(ip, host):
    return {'ip_address': ip, 'host': host}


def test_hosts_learn_each_other_and_only_changes_are_announced(service):
    assert service.sync('192.0.2.1', 'vxlan', 'h1') == [_endpoint('192.0.2.1', 'h1')]
    assert service.sync('192.0.2.1', 'vxlan', 'h1') == [_endpoint('192.0.2.1', 'h1')]
    assert service.sync('192.0.2.2', 'vxlan', 'h2') == [
        _endpoint('192.0.2.1', 'h1'), _endpoint('192.0.2.2', 'h2')]
    assert service.notifier.seen == [('192.0.2.1', 'vxlan', 'h1'), ('192.0.2.2', 'vxlan', 'h2')]
    # other tunnel types are apart
    assert service.sync('192.0.2.1', 'gre', 'h1') == [_endpoint('192.0.2.1', 'h1')]


def test_a_host_with_a_new_ip_or_an_ip_on_a_new_host_replaces_the_old_endpoint(service):
    service.sync('192.0.2.1', 'vxlan', 'h1')
    service.sync('192.0.2.2', 'vxlan', 'h2')
    assert service.sync('192.0.2.11', 'vxlan', 'h1') == [
        _endpoint('192.0.2.11', 'h1'), _endpoint('192.0.2.2', 'h2')]
    assert service.sync('192.0.2.2', 'vxlan', 'h3') == [
        _endpoint('192.0.2.11', 'h1'), _endpoint('192.0.2.2', 'h3')]
    assert service.notifier.seen[-2:] == [('192.0.2.11', 'vxlan', 'h1'),
                                          ('192.0.2.2', 'vxlan', 'h3')]


def test_a_tunnel_ip_that_is_no_address_is_refused(service):
    with pytest.raises(exceptions.InvalidInput, match="'not-an-ip' of host h1"):
        service.sync('not-an-ip', 'vxlan', 'h1')
    assert service.sync('192.0.2.1', 'vxlan', 'h2') == [_endpoint('192.0.2.1', 'h2')]


class FakeLinuxBridgeAgent:
    def __init__(self):
        self.added = []
        self.event = threading.Event()

    def tunnel_added(self, tunnel_ip, tunnel_type, host=None):
        self.added.append((tunnel_ip, tunnel_type, host))
        self.event.set()


def test_tunnel_sync_and_tunnel_update_over_rpc(make_conf):
    conf = make_conf(transport_url='fake://', host='server-1')
    transport = rpc_transport.get_transport(conf)
    db = unit_conftest.new_schema_db()
    _ops, services = wiring.build(
        conf, db, notifier_factory=functools.partial(notifier.AgentNotifier, transport))
    server = rpc_server.RpcService(conf, services, transport=transport).start()
    agent = FakeLinuxBridgeAgent()
    no_tunnels = ovs_agent.OVSAgent('h3', None, {}, None)
    listeners = [rpc_transport.get_server(transport, const.TOPIC_L2_AGENT, host,
                                          [notify_endpoint.L2NotifyEndpoint(a)])
                 for host, a in (('h2', agent), ('h3', no_tunnels))]
    for listener in listeners:
        listener.start()
    try:
        api = plugin_api.PluginApi(transport, timeout=10)
        answer = api.tunnel_sync(ctx.admin_context(), '192.0.2.1', 'vxlan', 'h1')
        assert answer == {'tunnels': [_endpoint('192.0.2.1', 'h1')]}
        assert agent.event.wait(10)
        assert agent.added == [('192.0.2.1', 'vxlan', 'h1')]
    finally:
        for listener in listeners + server.servers:
            listener.stop()
            listener.wait()
        transport.cleanup()
        db.dispose()
