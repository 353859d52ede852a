"""One simulated host: a real netmgr-ovs-agent process on prefixed bridges (userspace OVS),
the real RabbitMQ and a real server. Ports plugged turn ACTIVE; instances on one network ping
each other, on different networks they do not; admin_state_up cuts and restores traffic; lost
flows, and a real ovs-vswitchd restart, are programmed again."""

import pathlib

import pytest

from tests.fixtures.agents import boot, port_status as _status, wait_for
from tests.functional.rest_helpers import _net

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


def test_plugged_ports_turn_active_and_talk_only_within_their_network(netlab, server, host):
    api = server.client()
    net_a, _ = _net(api, cidr='10.61.0.0/24')
    net_b, _ = _net(api, cidr='10.61.0.0/24')
    port1, ns1 = boot(netlab, api, host, net_a, '10.61.0.11')
    port2, ns2 = boot(netlab, api, host, net_a, '10.61.0.12')
    port3, ns3 = boot(netlab, api, host, net_b, '10.61.0.13')
    for port in (port1, port2, port3):
        wait_for(lambda p=port: _status(api, p['id']) == 'ACTIVE', message='ACTIVE')
    assert netlab.ping_within(ns1, '10.61.0.12')
    assert not netlab.ping(ns1, '10.61.0.13')
    assert not netlab.ping(ns3, '10.61.0.12')

    api.put('/v2.0/ports/%s' % port2['id'], {'port': {'admin_state_up': False}})
    # the server's port_update notification reaches the agent, which moves the port
    wait_for(lambda: not netlab.ping(ns1, '10.61.0.12'), timeout=15, message='traffic cut')
    assert _status(api, port2['id']) == 'DOWN'
    api.put('/v2.0/ports/%s' % port2['id'], {'port': {'admin_state_up': True}})
    wait_for(lambda: netlab.ping(ns1, '10.61.0.12'), timeout=15, message='traffic back')
    wait_for(lambda: _status(api, port2['id']) == 'ACTIVE', message='ACTIVE again')


def test_lost_flows_are_programmed_again(netlab, server, host):
    """What ovs-vswitchd restarting does to a bridge (every OpenFlow rule gone), done to this
    host's br-int only: the agent notices the missing canary and programs everything again."""
    api = server.client()
    _name, int_br, _agent = host
    network, _ = _net(api, cidr='10.62.0.0/24')
    port1, ns1 = boot(netlab, api, host, network, '10.62.0.11')
    port2, _ns2 = boot(netlab, api, host, network, '10.62.0.12')
    for port in (port1, port2):
        wait_for(lambda p=port: _status(api, p['id']) == 'ACTIVE', message='ACTIVE')
    assert netlab.ping_within(ns1, '10.62.0.12')

    netlab.executor.execute(['ovs-ofctl', 'del-flows', int_br.name])
    wait_for(lambda: 'table=23' in netlab.executor.execute(
        ['ovs-ofctl', 'dump-flows', int_br.name]), timeout=15, message='canary back')
    assert netlab.ping_within(ns1, '10.62.0.12')


OVS_CTL = '/usr/share/openvswitch/scripts/ovs-ctl'
VSWITCHD_PID_FILE = pathlib.Path('/var/run/openvswitch/ovs-vswitchd.pid')


def _vswitchd_pid():
    try:
        return int(VSWITCHD_PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None


def _restart_vswitchd(executor):
    """Restart ovs-vswitchd alone, as its service script does it (by its pid file); the
    OVSDB server and so the bridges' configuration stay."""
    before = _vswitchd_pid()
    executor.execute([OVS_CTL, '--no-ovsdb-server', 'restart'], check_exit_code=False)
    wait_for(lambda: _vswitchd_pid() not in (None, before) and executor.execute(
        [OVS_CTL, 'status'], check_exit_code=False).count('is running') >= 2,
        timeout=30, message='a new ovs-vswitchd running')


def test_agent_reprograms_flows_after_ovs_vswitchd_restarts(netlab, server, host):
    api = server.client()
    _name, int_br, _agent = host
    network, _ = _net(api, cidr='10.64.0.0/24')
    port1, ns1 = boot(netlab, api, host, network, '10.64.0.11')
    port2, _ns2 = boot(netlab, api, host, network, '10.64.0.12')
    for port in (port1, port2):
        wait_for(lambda p=port: _status(api, p['id']) == 'ACTIVE', message='ACTIVE')
    assert netlab.ping_within(ns1, '10.64.0.12')

    _restart_vswitchd(netlab.executor)
    wait_for(lambda: 'table=23' in netlab.executor.execute(
        ['ovs-ofctl', 'dump-flows', int_br.name], check_exit_code=False), timeout=30,
        message='flows programmed again')
    assert netlab.ping_within(ns1, '10.64.0.12', seconds=15)
    assert _status(api, port1['id']) == _status(api, port2['id']) == 'ACTIVE'
