"""ovs-ofctl specs, dump parsing and batching, with a recording executor instead of OVS."""

import pytest

from netmgr.agent.l2.ovs import flows as l2_flows
from netmgr.agent.linux import ofctl
from netmgr.agent.linux import ovs_lib

DUMP_OF13 = """OFPST_FLOW reply (OF1.3) (xid=0x2):
 cookie=0x0, duration=12.345s, table=0, n_packets=7, n_bytes=588, priority=10,in_port=1 \
actions=mod_vlan_vid:5,NORMAL
 cookie=0x2a, duration=1.1s, table=3, n_packets=0, n_bytes=0, reset_counts priority=6,ip,\
nw_dst=10.0.0.0/24 actions=drop
 cookie=0x0, duration=1.1s, table=23, n_packets=0, n_bytes=0, actions=drop
"""

DUMP_OF10 = """NXST_FLOW reply (xid=0x4):
 cookie=0x0, duration=3.2s, table=0, n_packets=0, n_bytes=0, idle_age=3, priority=2,\
in_port=5,dl_vlan=0xffff actions=mod_vlan_vid:2,resubmit(,1),output:3
"""


class RecordingExecutor:
    def __init__(self, stdout=''):
        self.calls = []
        self.stdout = stdout

    def execute(self, cmd, namespace=None, process_input=None, **kwargs):
        self.calls.append((cmd, process_input))
        return self.stdout


@pytest.mark.parametrize('kwargs, spec', [
    ({'table': 0, 'priority': 10, 'in_port': 1, 'actions': 'drop'},
     'table=0,priority=10,in_port=1,actions=drop'),
    ({'table': 1, 'ip': None, 'nw_dst': '10.0.0.0/24'}, 'table=1,ip,nw_dst=10.0.0.0/24'),
    ({'cookie': 42, 'priority': 1, 'actions': 'NORMAL'}, 'cookie=0x2a,priority=1,actions=NORMAL'),
    ({'dl_vlan': 5, 'actions': 'strip_vlan,output:2'}, 'dl_vlan=5,actions=strip_vlan,output:2'),
])
def test_flow_spec(kwargs, spec):
    assert ofctl.flow_spec(**kwargs) == spec


def test_parse_openflow13_dump():
    first, second, third = ofctl.parse_dump(DUMP_OF13)
    assert first == ofctl.DumpedFlow(0, 10, {'in_port': '1'}, 'mod_vlan_vid:5,NORMAL', 0, 7, 588)
    assert (second.table, second.priority, second.cookie) == (3, 6, 0x2a)
    assert second.match == {'ip': None, 'nw_dst': '10.0.0.0/24'}
    assert (third.table, third.priority, third.match, third.actions) == (23, 32768, {}, 'drop')


def test_parse_openflow10_dump_keeps_commas_inside_actions():
    [flow] = ofctl.parse_dump(DUMP_OF10)
    assert flow.match == {'in_port': '5', 'dl_vlan': '0xffff'}
    assert flow.actions == 'mod_vlan_vid:2,resubmit(,1),output:3'
    assert ofctl.parse_dump('NXST_FLOW reply (xid=0x4):\n') == []


def test_commands_name_bridge_and_protocols():
    ex = RecordingExecutor(DUMP_OF10)
    table = ofctl.OpenFlowTable('br-int', ex)
    table.add_flow(table=0, priority=1, actions='NORMAL')
    table.del_flows(table=0, in_port=3)
    table.del_flows(strict=True, table=0, priority=1)
    table.del_flows()
    assert len(table.dump_flows(table=0)) == 1
    base = ['ovs-ofctl', '-O', 'OpenFlow10,OpenFlow13']
    assert [cmd for cmd, _ in ex.calls] == [
        base + ['add-flow', 'br-int', 'table=0,priority=1,actions=NORMAL'],
        base + ['del-flows', 'br-int', 'table=0,in_port=3'],
        base + ['--strict', 'del-flows', 'br-int', 'table=0,priority=1'],
        base + ['del-flows', 'br-int'],
        base + ['dump-flows', 'br-int', 'table=0']]


def test_a_run_directory_names_the_bridges_management_socket():
    """Without a run directory ovs-ofctl looks the bridge up in its own; with one (another
    ovs-vswitchd's OVS_RUNDIR) every command names that vswitchd's socket of the bridge."""
    assert ofctl.switch_target('br-int') == 'br-int'
    assert ofctl.switch_target('br-int', '') == 'br-int'
    assert ofctl.switch_target('br-int', '/run/h1') == 'unix:/run/h1/br-int.mgmt'
    assert ofctl.switch_target('br-int', '/run/h1/') == 'unix:/run/h1/br-int.mgmt'
    ex = RecordingExecutor()
    table = ofctl.OpenFlowTable('br-int', ex, rundir='/run/h1')
    table.add_flow(table=0, priority=1, actions='NORMAL')
    table.add_flows(['table=1,actions=drop'])
    table.dump_flows(table=23)
    table.del_flows()
    base = ['ovs-ofctl', '-O', 'OpenFlow10,OpenFlow13']
    socket = 'unix:/run/h1/br-int.mgmt'
    assert ex.calls == [
        (base + ['add-flow', socket, 'table=0,priority=1,actions=NORMAL'], None),
        (base + ['add-flows', socket, '-'], 'table=1,actions=drop\n'),
        (base + ['dump-flows', socket, 'table=23'], None),
        (base + ['del-flows', socket], None)]


def test_bridges_of_an_ovsdb_use_its_run_directory():
    """An OVSDB stands for one Open vSwitch: its bridges' flows go to its ovs-vswitchd."""
    ex = RecordingExecutor()
    other = ovs_lib.OVSDB('unix:/run/h1/db.sock', executor=ex, ovs_rundir='/run/h1')
    assert other.bridge('br-int').flows.target == 'unix:/run/h1/br-int.mgmt'
    assert ovs_lib.OVSDB(executor=ex).bridge('br-int').flows.target == 'br-int'
    assert ovs_lib.OVSDB(executor=ex, ovs_rundir='').bridge('br-int').flows.target == 'br-int'


def test_add_flow_needs_actions():
    with pytest.raises(ValueError):
        ofctl.OpenFlowTable('br', RecordingExecutor()).add_flow(table=0)


def test_deferred_groups_consecutive_changes_into_one_process_each():
    ex = RecordingExecutor()
    table = ofctl.OpenFlowTable('br-int', ex)
    with table.deferred() as batch:
        batch.add_flow(table=0, priority=1, actions='NORMAL')
        batch.add_specs([f.add_spec() for f in l2_flows.integration_base()])
        batch.del_flows(table=0, in_port=7)
        batch.add_flow(table=0, priority=2, in_port=7, actions='drop')
    verbs = [(cmd[3], cmd[5], stdin) for cmd, stdin in ex.calls]
    assert verbs == [
        ('add-flows', '-', 'table=0,priority=1,actions=NORMAL\n'
                           'table=0,priority=0,actions=NORMAL\n'
                           'table=23,priority=0,actions=drop\n'),
        ('del-flows', '-', 'table=0,in_port=7\n'),
        ('add-flows', '-', 'table=0,priority=2,in_port=7,actions=drop\n')]


def test_deferred_applies_nothing_when_the_block_fails_or_is_empty():
    ex = RecordingExecutor()
    table = ofctl.OpenFlowTable('br-int', ex)
    with pytest.raises(KeyError):
        with table.deferred() as batch:
            batch.add_flow(table=0, priority=1, actions='drop')
            raise KeyError('x')
    with table.deferred():
        pass
    table.add_flows([])
    assert ex.calls == []


def test_batched_delete_needs_a_match():
    with pytest.raises(ValueError):
        ofctl.FlowBatch().del_flows()
