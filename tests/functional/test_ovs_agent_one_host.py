"""One simulated host: a real netmgr-ovs-agent process on prefixed bridges (userspace OVS),
the real RabbitMQ and a real server. Ports plugged turn ACTIVE; instances on one network ping
each other, on different networks they do not; admin_state_up cuts and restores traffic; lost
flows, and a real ovs-vswitchd restart (of a host running its own Open vSwitch, never the
machine's), are programmed again."""

import pytest

from tests.fixtures.agents import (boot, bound_port, port_status as _status,
                                   simulated_ovs_host, wait_for)
from tests.fixtures import ovs_hosts as ovs_hosts_fixture
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


def _boot_on(ovs_hosts, api, host, int_br, network, ip):
    """A port bound to ``host`` (its own Open vSwitch) and an instance plugged into it."""
    port = bound_port(api, network, host.name)
    vm = ovs_hosts.plug_instance(host, int_br, port['id'], port['mac_address'], ip + '/24')
    return port, vm.namespace


def test_agent_reprograms_flows_after_ovs_vswitchd_restarts(ovs_hosts, server, agent_factory,
                                                            rpc_options):
    """A host with its own Open vSwitch (tests/fixtures/ovs_hosts.py), driven by an agent in
    the root namespace through [OVS] ovsdb_connection and ovs_rundir: that host's
    ovs-vswitchd restarts (every flow gone), the agent programs its flows again and traffic
    comes back. The machine's own ovs-vswitchd is never touched."""
    machine_vswitchd = ovs_hosts_fixture.machine_vswitchd_pid()
    host, int_br, agent = simulated_ovs_host(ovs_hosts, agent_factory, rpc_options, server)
    api = server.client()
    network, _ = _net(api, cidr='10.64.0.0/24')
    port1, ns1 = _boot_on(ovs_hosts, api, host, int_br, network, '10.64.0.11')
    port2, _ns2 = _boot_on(ovs_hosts, api, host, int_br, network, '10.64.0.12')
    for port in (port1, port2):
        wait_for(lambda p=port: _status(api, p['id']) == 'ACTIVE', message='ACTIVE')
    assert ovs_hosts.netlab.ping_within(ns1, '10.64.0.12')
    assert 'table=23' in host.ofctl('dump-flows', int_br)

    before = host.vswitchd_pid()
    after = host.restart_vswitchd()
    assert after != before and not ovs_hosts_fixture.running(before)
    wait_for(lambda: 'reprogramming' in agent.log_text(), timeout=30,
             message='the agent noticing the lost flows')
    wait_for(lambda: 'table=23' in host.ofctl('dump-flows', int_br, check_exit_code=False),
             timeout=60, message='flows programmed again')
    assert ovs_hosts.netlab.ping_within(ns1, '10.64.0.12', seconds=15)
    assert _status(api, port1['id']) == _status(api, port2['id']) == 'ACTIVE'
    assert host.vswitchd_pid() == after
    assert ovs_hosts_fixture.machine_vswitchd_pid() == machine_vswitchd
