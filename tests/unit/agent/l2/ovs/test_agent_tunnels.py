"""The OVS agent with tunnels, on fake bridges and a fake server: tunnel_sync at start and after
a reconnect, tunnel_update, FDB entries pulled before a tunnel network's ports are reported
up, casts queued for the main loop, the canary of br-tun, L2 population off, a failed FDB
step retried, and a restart that keeps br-tun's flows until the entries are pulled again."""

import logging

import pytest

from netmgr.agent.l2.ovs import agent as ovs_agent
from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr.agent.l2.ovs import tunnel_flows
from netmgr.agent.l2.ovs import tunnels
from netmgr.agent.linux import ovsdb_monitor
from netmgr.conf import ovs_agent as ovs_conf
from netmgr import constants as const
from tests.unit.agent.l2.ovs.fakes import FakeBridge, FakeServer

LOCAL, H2, H3 = '198.51.100.1', '198.51.100.2', '198.51.100.3'
FLOOD = list(const.FLOODING_ENTRY)
MAC2 = 'fa:16:3e:00:00:02'


def make_agent(server, l2_population=True, types=('vxlan', 'gre'), tun_br=None):
    settings = ovs_conf.TunnelSettings(LOCAL, types, 'br-tun', 'patch-tun', 'patch-int', 4789,
                                       l2_population)
    int_br = FakeBridge('br-int')
    overlay = tunnels.Overlay(settings, tun_br or FakeBridge('br-tun'), 2, 1)
    return ovs_agent.OVSAgent('h1', int_br, {}, server, batch_window=0, overlay=overlay)


@pytest.fixture
def server():
    server = FakeServer()
    server.endpoints = {'vxlan': {H2: 'h2', H3: 'h3'}, 'gre': {H2: 'h2'}}
    return server


@pytest.fixture
def agent(server):
    agent = make_agent(server)
    agent.start_sync()
    return agent


def plug(agent, name, port_id, ofport):
    agent.int_br.plug(name, port_id, ofport)
    agent.interface_changed(ovsdb_monitor.InterfaceChange(
        'added', name, ofport, port_id, None, None, {'iface-id': port_id}))


def fdb(network_id, seg=5001, network_type='vxlan', **ports):
    return {network_id: {'segment_id': seg, 'network_type': network_type,
                         'ports': {ip: entries for ip, entries in ports.items()}}}


def tun_flows(agent, table):
    """br-tun's rules of ``table`` but its default (priority 0)."""
    return {s for s in agent.overlay.bridge.flows.table(table) if ',priority=0,' not in s}


def test_start_announces_the_endpoint_per_type_and_makes_tunnel_ports(agent, server):
    agent.process_once()
    assert [c for c in server.calls if c[0] == 'tunnel_sync'] == [
        ('tunnel_sync', LOCAL, 'vxlan', 'h1'), ('tunnel_sync', LOCAL, 'gre', 'h1')]
    assert sorted(agent.overlay.ports) == [('gre', H2), ('vxlan', H2), ('vxlan', H3)]
    assert sorted(agent.overlay.bridge.interface_rows) == [
        'gre-c6336402', 'vxlan-c6336402', 'vxlan-c6336403']
    assert tunnel_flows.from_tunnel_port(agent.overlay.ports[('gre', H2)], 'gre').add_spec() \
        in tun_flows(agent, 0)
    assert flows.integration_from_physical_drop(2).add_spec() in agent.int_br.flows.specs
    assert ovs_bridges.canary_present(agent.overlay.bridge)


def test_a_tunnel_network_pulls_its_entries_before_its_port_is_reported_up(agent, server):
    server.add('p1', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    server.fdb = fdb('net-a', **{H2: [FLOOD, [MAC2, '10.0.0.2']]})
    plug(agent, 'tap1', 'p1', 10)
    agent.process_once()
    names = [c[0] for c in server.calls]
    assert names.index('get_fdb_entries') < names.index('update')
    assert server.calls[-1] == ('update', ['p1'], [])
    vlan = agent.int_br.tag('tap1')
    mapping = agent.wiring.vlans.get('net-a')
    assert vlan not in (None, local_vlans.DEAD_VLAN) and mapping.vlan == vlan
    port2 = agent.overlay.ports[('vxlan', H2)]
    assert tun_flows(agent, 22) == {tunnel_flows.flood(mapping, [port2]).add_spec()}
    assert tun_flows(agent, 20) == {
        tunnel_flows.unicast(mapping, MAC2, port2).add_spec()}
    assert tunnel_flows.inbound(mapping).add_spec() in tun_flows(agent, 4)
    assert tunnel_flows.integration_inbound(2, mapping).add_spec() in agent.int_br.flows.specs

    # a second port of the network: no second pull
    server.add('p2', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    plug(agent, 'tap2', 'p2', 11)
    agent.process_once()
    assert [c[0] for c in server.calls].count('get_fdb_entries') == 1


def test_casts_are_queued_and_applied_by_the_main_loop(agent, server):
    server.add('p1', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    plug(agent, 'tap1', 'p1', 10)
    agent.process_once()
    runs = agent.overlay.bridge.flows.runs
    agent.fdb_added(fdb('net-a', **{H3: [FLOOD]}))
    agent.fdb_added(fdb('net-unknown', **{H3: [FLOOD]}))       # no local VLAN here
    agent.tunnel_added('198.51.100.4', 'vxlan', 'h4')
    agent.tunnel_added('198.51.100.6', 'geneve', 'h6')          # a type not carried
    assert agent.loop.woken and agent.overlay.bridge.flows.runs == runs
    agent.process_once()
    mapping = agent.wiring.vlans.get('net-a')
    assert tun_flows(agent, 22) == {tunnel_flows.flood(
        mapping, [agent.overlay.ports[('vxlan', H3)]]).add_spec()}
    assert ('vxlan', '198.51.100.4') in agent.overlay.ports
    assert not [k for k in agent.overlay.ports if k[0] == 'geneve']
    agent.fdb_removed(fdb('net-a', **{H3: [FLOOD]}))
    agent.process_once()
    assert tun_flows(agent, 22) == set()


def test_after_a_reconnect_the_endpoint_is_announced_and_entries_pulled_again(agent, server):
    server.add('p1', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    plug(agent, 'tap1', 'p1', 10)
    agent.process_once()
    server.calls.clear()
    server.fdb = fdb('net-a', **{H2: [FLOOD]})
    agent.rpc_revived()
    agent.process_once()
    assert [c[0] for c in server.calls] == ['tunnel_sync', 'tunnel_sync', 'get_fdb_entries']
    mapping = agent.wiring.vlans.get('net-a')
    assert tun_flows(agent, 22) == {tunnel_flows.flood(
        mapping, [agent.overlay.ports[('vxlan', H2)]]).add_spec()}


def test_lost_br_tun_flows_are_programmed_again_from_the_agents_state(agent, server):
    server.add('p1', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    server.fdb = fdb('net-a', **{H2: [FLOOD, [MAC2, '10.0.0.2']]})
    plug(agent, 'tap1', 'p1', 10)
    agent.process_once()
    before = agent.overlay.bridge.flows.specs
    calls = list(server.calls)
    agent.overlay.bridge.flows.clear()          # only br-tun lost its flows
    agent.check_canary()
    assert agent.overlay.bridge.flows.specs == before
    assert server.calls == calls                # from the agent's state: no RPC


def test_ports_of_types_not_carried_stay_down_and_say_why(agent, server, caplog):
    server.add('p1', 'net-a', network_type='geneve', physnet=None, seg=5001)
    server.add('p2', 'net-b', admin_state_up=False)
    plug(agent, 'tap1', 'p1', 10)
    plug(agent, 'tap2', 'p2', 11)
    with caplog.at_level(logging.INFO):
        agent.process_once()
    assert agent.int_br.tag('tap1') == agent.int_br.tag('tap2') == local_vlans.DEAD_VLAN
    assert ('WARNING', 'port p1 stays down: no tunnel type geneve configured '
            '([AGENT] tunnel_types)') in [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ('INFO', 'port p2 stays down: admin state down') in [
        (r.levelname, r.getMessage()) for r in caplog.records]
    assert server.calls[-1] == ('update', [], ['p1', 'p2'])


def test_without_l2_population_nothing_is_pulled_and_floods_reach_every_tunnel(server):
    agent = make_agent(server, l2_population=False)
    agent.start_sync()
    server.add('p1', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    plug(agent, 'tap1', 'p1', 10)
    agent.fdb_added(fdb('net-a', **{H2: [FLOOD]}))
    assert agent._casts == []
    agent.process_once()
    assert 'get_fdb_entries' not in [c[0] for c in server.calls]
    mapping = agent.wiring.vlans.get('net-a')
    assert tun_flows(agent, 22) == {tunnel_flows.flood(
        mapping, [agent.overlay.ports[('vxlan', H2)],
                  agent.overlay.ports[('vxlan', H3)]]).add_spec()}


def test_a_failed_fdb_step_is_retried_and_br_tun_reprogrammed(agent, server, monkeypatch):
    server.add('p1', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    plug(agent, 'tap1', 'p1', 10)
    agent.process_once()
    agent.fdb_added(fdb('net-a', **{H2: [FLOOD]}))
    agent.fdb_added(fdb('net-a', **{H3: [FLOOD]}))
    real = agent.overlay.add_entries
    failures = [RuntimeError('ovs-ofctl failed')]

    def fail_once(*args):
        if failures:
            raise failures.pop()
        return real(*args)
    monkeypatch.setattr(agent.overlay, 'add_entries', fail_once)
    with pytest.raises(RuntimeError):
        agent.process_once()
    agent.process_once()
    mapping = agent.wiring.vlans.get('net-a')
    assert tun_flows(agent, 22) == {tunnel_flows.flood(
        mapping, [agent.overlay.ports[('vxlan', H2)],
                  agent.overlay.ports[('vxlan', H3)]]).add_spec()}
    assert not agent._sweep


def test_a_restart_keeps_br_tun_flows_until_the_pull_then_sweeps(server):
    tun_br = FakeBridge('br-tun')
    tun_br.interface_rows = {'vxlan-c6336402': ('vxlan', {'remote_ip': H2}, 5),
                             'vxlan-c6336409': ('vxlan', {'remote_ip': '198.51.100.9'}, 7)}
    mapping = local_vlans.LocalVlan('net-a', 7, 'vxlan', None, 5001)
    kept = [tunnel_flows.flood(mapping, [5, 7]), tunnel_flows.unicast(mapping, MAC2, 5),
            tunnel_flows.from_tunnel_port(7, 'vxlan')]
    changes = flows.Changes()
    for flow in kept:
        changes.add(tun_br, flow)
    changes.apply()
    agent = make_agent(server, tun_br=tun_br)
    agent.int_br.plug('tap1', 'p1', 10, tag=7, other_config=mapping.other_config())
    server.add('p1', 'net-a', network_type='vxlan', physnet=None, seg=5001)
    server.fdb = fdb('net-a', **{H2: [FLOOD, [MAC2, '10.0.0.2']]})
    server.fail = 1         # the server is not there yet: flows stay as they were
    agent.start_sync()
    with pytest.raises(TimeoutError):
        agent.process_once()
    assert {f.add_spec() for f in kept} <= tun_br.flows.specs
    agent.process_once()
    assert agent.int_br.tag('tap1') == 7
    assert tun_flows(agent, 22) == {tunnel_flows.flood(mapping, [5]).add_spec()}
    assert tunnel_flows.unicast(mapping, MAC2, 5).add_spec() in tun_flows(agent, 20)
    assert 'vxlan-c6336409' not in tun_br.interface_rows        # a host the server forgot
    assert kept[2].add_spec() not in tun_br.flows.specs
    assert ovs_bridges.canary_present(tun_br)
