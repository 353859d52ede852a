"""The OVS agent's decisions with fake bridges and a fake server: batching, dead VLAN,
reclaim, restore after a restart, retry after an RPC failure, canary."""

import pytest

from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import local_vlans
from netmgr.agent.l2.ovs import agent as ovs_agent
from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.linux import ovsdb_monitor
from netmgr.conf import ovs_agent as ovs_conf
from netmgr import devnames
from tests.unit.agent.l2.ovs.fakes import FakeBridge, FakeServer


@pytest.fixture
def lab():
    int_br, phys = FakeBridge('br-int'), FakeBridge('br-eth1')
    links = {'physnet1': ovs_bridges.PhysicalLink('physnet1', phys, 1, 1)}
    server = FakeServer()
    agent = ovs_agent.OVSAgent('h1', int_br, links, server, batch_window=0)
    return agent, int_br, phys, server


def plug(agent, int_br, name, port_id, ofport):
    int_br.plug(name, port_id, ofport)
    agent.interface_changed(ovsdb_monitor.InterfaceChange(
        'added', name, ofport, port_id, None, None, {'iface-id': port_id}))


def unplug(agent, int_br, name, port_id):
    int_br.unplug(name)
    agent.interface_changed(ovsdb_monitor.InterfaceChange(
        'removed', name, None, port_id, None, None, {'iface-id': port_id}))


def test_ports_plugged_together_make_one_details_and_one_update_call(lab):
    agent, int_br, phys, server = lab
    for i in range(5):
        server.add('p%d' % i, 'net-a')
        plug(agent, int_br, 'tap%d' % i, 'p%d' % i, 10 + i)
    agent.process_once()
    assert server.calls == [('details', ['p0', 'p1', 'p2', 'p3', 'p4']),
                            ('update', ['p0', 'p1', 'p2', 'p3', 'p4'], [])]
    tags = {int_br.tag('tap%d' % i) for i in range(5)}
    assert len(tags) == 1 and local_vlans.DEAD_VLAN not in tags
    vlan = tags.pop()
    assert int_br.ports['tap0'][2]['net_uuid'] == 'net-a'
    # one inbound flow on br-int and one outbound flow on the physical bridge, one run each
    assert 'table=0,in_port=1,dl_vlan=100,priority=3,actions=mod_vlan_vid:%d,NORMAL' % vlan \
        in int_br.flows.specs
    assert 'table=0,in_port=1,dl_vlan=%d,priority=4,actions=mod_vlan_vid:100,NORMAL' % vlan \
        in phys.flows.specs
    assert phys.flows.runs == 1


def test_two_networks_get_distinct_local_vlans(lab):
    agent, int_br, _, server = lab
    server.add('pa', 'net-a', seg=100)
    server.add('pb', 'net-b', network_type='flat', seg=None)
    plug(agent, int_br, 'tapa', 'pa', 10)
    plug(agent, int_br, 'tapb', 'pb', 11)
    agent.process_once()
    assert int_br.tag('tapa') != int_br.tag('tapb')


@pytest.mark.parametrize('change', [
    dict(admin_state_up=False),
    dict(host='other-host'),
    dict(physnet='physnet-unmapped'),
    dict(network_type='vxlan'),
])
def test_ports_that_may_not_talk_go_to_the_dead_vlan_with_a_drop(lab, change):
    agent, int_br, _, server = lab
    server.add('p1', 'net-a', **change)
    plug(agent, int_br, 'tap1', 'p1', 17)
    agent.process_once()
    assert int_br.tag('tap1') == local_vlans.DEAD_VLAN
    assert flows.dead_port_drop(17).add_spec() in int_br.flows.specs
    assert agent.wiring.vlans.networks() == []
    if change.get('host'):
        assert server.calls[-1][0] == 'details'      # not ours: nothing reported
    else:
        assert server.calls[-1] == ('update', [], ['p1'])


def test_admin_down_then_up_moves_the_port_out_of_the_dead_vlan(lab):
    agent, int_br, _, server = lab
    server.add('p1', 'net-a', admin_state_up=False)
    plug(agent, int_br, 'tap1', 'p1', 17)
    agent.process_once()
    server.ports['p1']['admin_state_up'] = True
    agent.port_updated('p1')
    agent.process_once()
    assert int_br.tag('tap1') not in (None, local_vlans.DEAD_VLAN)
    assert flows.dead_port_drop(17).add_spec() not in int_br.flows.specs
    assert server.calls[-1] == ('update', ['p1'], [])


def test_last_port_gone_reclaims_the_vlan_and_its_flows(lab):
    agent, int_br, phys, server = lab
    server.add('p1', 'net-a')
    server.add('p2', 'net-a')
    plug(agent, int_br, 'tap1', 'p1', 10)
    plug(agent, int_br, 'tap2', 'p2', 11)
    agent.process_once()
    unplug(agent, int_br, 'tap1', 'p1')
    agent.process_once()
    assert agent.wiring.vlans.get('net-a') is not None and phys.flows.specs - {
        f.add_spec() for f in flows.physical_base(1)}
    assert server.calls[-1] == ('update', [], ['p1'])
    unplug(agent, int_br, 'tap2', 'p2')
    agent.process_once()
    assert agent.wiring.vlans.get('net-a') is None
    assert phys.flows.specs == set()        # the outbound flow is gone
    assert not [s for s in int_br.flows.specs if 'mod_vlan_vid' in s]


def test_restart_keeps_existing_tags_and_reports_vanished_ports_down(lab):
    agent, int_br, phys, server = lab
    server.add('p1', 'net-a')
    server.add('p2', 'net-b', seg=101)
    server.add('p3', 'net-a')      # was on the bridge, removed while the agent was down
    mapping = local_vlans.LocalVlan('net-a', 7, 'vlan', 'physnet1', 100)
    int_br.plug('tap1', 'p1', 10, tag=7, other_config=mapping.other_config())
    int_br.plug('tap2', 'p2', 11)  # added while the agent was down
    agent.start_sync()
    agent.process_once()
    assert int_br.tag('tap1') == 7                      # no traffic cut
    assert int_br.tag('tap2') not in (None, 7, local_vlans.DEAD_VLAN)
    assert server.calls[-1] == ('update', ['p1', 'p2'], ['p3'])
    assert flows.canary().add_spec() in int_br.flows.specs


def test_rpc_failure_keeps_the_batch_and_the_next_attempt_completes_it(lab):
    agent, int_br, _, server = lab
    server.add('p1', 'net-a')
    plug(agent, int_br, 'tap1', 'p1', 10)
    server.fail = 1
    with pytest.raises(TimeoutError):
        agent.process_once()
    assert int_br.tag('tap1') is None
    agent.process_once()
    assert server.calls[-1] == ('update', ['p1'], [])


def test_failed_status_report_is_sent_again(lab):
    agent, int_br, _, server = lab
    server.add('p1', 'net-a')
    plug(agent, int_br, 'tap1', 'p1', 10)
    server.fail = 0
    orig = server.update_device_list

    def fail_once(*args):
        server.update_device_list = orig
        raise TimeoutError('MessagingTimeout')
    server.update_device_list = fail_once
    with pytest.raises(TimeoutError):
        agent.process_once()
    agent.process_once()
    assert server.calls[-1] == ('update', ['p1'], [])


def test_run_loop_retries_until_the_server_answers(lab):
    agent, int_br, _, server = lab
    server.add('p1', 'net-a')
    plug(agent, int_br, 'tap1', 'p1', 10)
    server.fail = 2
    agent.loop.max_backoff = 0.01
    agent.canary_interval = 0.01
    import threading
    thread = threading.Thread(target=agent.run)
    thread.start()
    try:
        for _ in range(200):
            if ('update', ['p1'], []) in server.calls:
                break
            threading.Event().wait(0.01)
    finally:
        agent.stop()
        thread.join(5)
    assert ('update', ['p1'], []) in server.calls


def test_lost_flows_are_programmed_again_when_the_canary_is_gone(lab):
    agent, int_br, phys, server = lab
    server.add('p1', 'net-a')
    server.add('p2', 'net-a', admin_state_up=False)
    plug(agent, int_br, 'tap1', 'p1', 10)
    plug(agent, int_br, 'tap2', 'p2', 11)
    agent.start_sync()
    agent.process_once()
    before_int, before_phys = set(int_br.flows.specs), set(phys.flows.specs)
    int_br.flows.clear()
    phys.flows.clear()
    agent.check_canary()
    assert int_br.flows.specs == before_int and phys.flows.specs == before_phys


def test_notifications_feed_the_queues(lab):
    agent, int_br, _, server = lab
    server.add('p1', 'net-a')
    plug(agent, int_br, 'tap1', 'p1', 10)
    agent.process_once()
    agent.network_deleted('net-a')
    server.ports.pop('p1')
    agent.process_once()
    assert int_br.tag('tap1') == local_vlans.DEAD_VLAN
    assert agent.wiring.vlans.get('net-a') is None


def test_state_report_configurations(lab):
    agent = lab[0]
    agent.ovs_config = {'bridge_mappings': {'physnet1': 'br-eth1'}}
    state = agent.state(start_flag=True)
    assert state['binary'] == 'netmgr-ovs-agent' and state['start_flag'] is True
    assert state['configurations'] == {'bridge_mappings': {'physnet1': 'br-eth1'},
                                       'devices': 0, 'ovs_hybrid_plug': False}


def test_bridge_mappings_and_patch_names():
    assert ovs_conf.parse_bridge_mappings(['physnet1:br-eth1', ' p2 : br2']) == {
        'physnet1': 'br-eth1', 'p2': 'br2'}
    for bad in (['physnet1'], ['a:br', 'a:br2'], ['a:br', 'b:br'], [':br']):
        with pytest.raises(ValueError):
            ovs_conf.parse_bridge_mappings(bad)
    assert devnames.patch_name(devnames.INT_PATCH, 'br-eth1') == 'int-br-eth1'
    long_a = devnames.patch_name(devnames.INT_PATCH, 'nl12345-h1-phys')
    long_b = devnames.patch_name(devnames.INT_PATCH, 'nl12345-h2-phys')
    assert len(long_a) <= 15 and long_a != long_b
