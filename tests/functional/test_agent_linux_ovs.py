"""ovs_lib, ofctl and the OVSDB interface monitor on the real Open vSwitch (userspace datapath)."""

import queue
import time

import pytest

from netmgr.agent.linux import ovs_lib
from netmgr.agent.linux import ovsdb_monitor
from netmgr import exceptions
from tests.fixtures import netlab


@pytest.fixture
def lab():
    with netlab.open_lab() as lab:
        yield lab


def _bridge_row(lab, name):
    return lab.executor.execute(['ovs-vsctl', '--format=json', '--columns=datapath_type,'
                                 'fail_mode,protocols', 'list', 'Bridge', name])


def test_bridge_settings_and_idempotent_add_delete(lab):
    bridge = lab.bridge()
    assert lab.ovsdb.bridge_exists(bridge.name)
    row = _bridge_row(lab, bridge.name)
    assert '"netdev"' in row and '"secure"' in row and '"OpenFlow13"' in row
    lab.ovsdb.add_bridge(bridge.name, datapath_type='netdev')      # may_exist
    assert lab.ovsdb.list_bridges().count(bridge.name) == 1
    bridge.delete()
    bridge.delete()                                                  # if_exists
    assert not bridge.exists()


def test_ports_tags_external_ids_and_vif_ports(lab):
    bridge = lab.bridge()
    ids = {'iface-id': 'port-1', 'attached-mac': 'fa:16:3e:00:00:01', 'vm-uuid': 'vm-1',
           'iface-status': 'active'}
    vm_port, plain = lab.name('p'), lab.name('p')
    bridge.add_port(vm_port, port_type='internal', tag=5, external_ids=ids)
    bridge.add_port(plain, port_type='internal')
    assert bridge.port_names() == sorted([vm_port, plain])
    assert bridge.get_port_tag(vm_port) == 5
    assert bridge.get_port_tag(plain) is None
    assert bridge.vif_ports() == [ovs_lib.VifPort(vm_port, bridge.get_ofport(vm_port), 'port-1',
                                                  'fa:16:3e:00:00:01', 'vm-1', bridge.name)]
    assert bridge.get_ofport(vm_port) > 0
    assert lab.ovsdb.interface_bridge(vm_port) == bridge.name
    assert lab.ovsdb.interface_bridge(lab.prefix + 'nothere') is None
    bridge.set_port_tag(vm_port, 7)
    assert bridge.get_port_tag(vm_port) == 7
    bridge.set_port_tag(vm_port, None)
    assert bridge.get_port_tag(vm_port) is None
    bridge.add_port(plain, port_type='internal', tag=9,
                    external_ids={'iface-id': 'port-2'})               # updates in place
    assert bridge.get_port_tag(plain) == 9
    assert [p.iface_id for p in bridge.vif_ports()] == ['port-1', 'port-2']
    bridge.delete_port(plain)
    bridge.delete_port(plain)                                          # if_exists
    assert bridge.port_names() == [vm_port]


def test_patch_ports_join_two_bridges(lab):
    left, right = lab.bridge(), lab.bridge()
    left_patch, right_patch = lab.name('p'), lab.name('p')
    with lab.ovsdb.transaction() as txn:
        left.add_patch_port(left_patch, right_patch, txn=txn)
        right.add_patch_port(right_patch, left_patch, txn=txn)
    assert left.port_names() == [left_patch] and right.port_names() == [right_patch]
    assert left.get_ofport(left_patch) and right.get_ofport(right_patch)
    out = lab.executor.execute(['ovs-vsctl', 'get', 'Interface', left_patch, 'type',
                                'options:peer'])
    assert out.split() == ['patch', right_patch]


def test_a_failed_transaction_changes_nothing(lab):
    bridge = lab.bridge()
    port = lab.name('p')
    with pytest.raises(exceptions.OVSDBOperationError):
        with lab.ovsdb.transaction() as txn:
            bridge.add_port(port, port_type='internal', txn=txn)
            txn.add(lab.ovsdb.api.db_get('Port', 'netmgr-no-such-port', 'tag'))
    assert bridge.port_names() == []


def test_unknown_port_is_a_typed_error(lab):
    bridge = lab.bridge()
    with pytest.raises(exceptions.OVSDBOperationError, match='nosuchport'):
        bridge.get_port_tag('nosuchport')


def test_port_tags_isolate_namespaces(lab):
    bridge = lab.bridge()
    bridge.flows.add_flow(table=0, priority=0, actions='NORMAL')   # fail_mode secure: no flows
    ns_a, ns_b, ns_c = lab.namespace(), lab.namespace(), lab.namespace()
    lab.veth_into(ns_a, bridge, address='10.81.0.1/24', tag=10)
    lab.veth_into(ns_b, bridge, address='10.81.0.2/24', tag=10)
    veth_c = lab.veth_into(ns_c, bridge, address='10.81.0.3/24', tag=20)
    assert lab.ping_within(ns_a, '10.81.0.2')
    assert not lab.ping(ns_a, '10.81.0.3')
    bridge.set_port_tag(veth_c.outer, 10)
    assert lab.ping_within(ns_a, '10.81.0.3')


def test_secure_bridge_without_flows_forwards_nothing(lab):
    bridge = lab.bridge()
    ns_a, ns_b = lab.namespace(), lab.namespace()
    lab.veth_into(ns_a, bridge, address='10.82.0.1/24', tag=1)
    lab.veth_into(ns_b, bridge, address='10.82.0.2/24', tag=1)
    assert not lab.ping(ns_a, '10.82.0.2')
    bridge.flows.add_flow(table=0, priority=0, actions='NORMAL')
    assert lab.ping_within(ns_a, '10.82.0.2')


def test_flows_add_dump_delete(lab):
    flows = lab.bridge().flows
    flows.add_flow(table=0, priority=10, in_port=1, actions='drop')
    flows.add_flow(table=0, priority=5, cookie=0x2a, dl_vlan=3, actions='strip_vlan,NORMAL')
    dumped = {(f.table, f.priority): f for f in flows.dump_flows()}
    assert dumped[(0, 10)].match == {'in_port': '1'}
    assert dumped[(0, 10)].actions == 'drop'
    assert dumped[(0, 5)].cookie == 0x2a
    assert dumped[(0, 5)].match == {'dl_vlan': '3'}
    flows.del_flows(table=0, in_port=1)
    assert [(f.table, f.priority) for f in flows.dump_flows()] == [(0, 5)]
    flows.del_flows(strict=True, table=0, priority=4, dl_vlan=3)      # strict: other priority
    assert len(flows.dump_flows()) == 1
    flows.del_flows()
    assert flows.dump_flows() == []


def test_batched_flows_run_in_order_and_not_at_all_on_error(lab):
    flows = lab.bridge().flows
    with flows.deferred() as batch:
        for vlan in range(1, 51):
            batch.add_flow(table=1, priority=10, dl_vlan=vlan, actions='NORMAL')
        batch.del_flows(table=1, dl_vlan=7)
        batch.add_specs(['table=2,priority=1,actions=drop'])
    assert len(flows.dump_flows(table=1)) == 49
    assert [f.actions for f in flows.dump_flows(table=2)] == ['drop']
    with pytest.raises(RuntimeError):
        with flows.deferred() as batch:
            batch.add_flow(table=3, priority=1, actions='drop')
            raise RuntimeError('caller failed')
    assert flows.dump_flows(table=3) == []
    with pytest.raises(exceptions.ProcessExecutionError):
        flows.add_flows(['table=4,priority=1,no_such_field=1,actions=drop'])


def _next_change(changes, name, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        change = changes.get(timeout=max(0.01, deadline - time.monotonic()))
        if change.name == name:
            return change


def test_monitor_reports_vif_interfaces_added_updated_removed(lab):
    bridge = lab.bridge()
    bridge.add_port(lab.name('p'), port_type='internal', external_ids={'iface-id': 'before'})
    changes = queue.Queue()
    with ovsdb_monitor.InterfaceMonitor(changes.put, connection=lab.ovsdb.connection):
        ns = lab.namespace()
        started = time.monotonic()
        veth = lab.veth_into(ns, bridge, external_ids={
            'iface-id': 'port-9', 'attached-mac': 'fa:16:3e:00:00:09', 'vm-uuid': 'vm-9'})
        added = _next_change(changes, veth.outer)
        assert time.monotonic() - started < 2
        assert (added.event, added.iface_id, added.attached_mac, added.vm_uuid) == (
            'added', 'port-9', 'fa:16:3e:00:00:09', 'vm-9')
        if added.ofport is None:            # ovs-vswitchd numbers the port just after
            assert _next_change(changes, veth.outer).ofport == bridge.get_ofport(veth.outer)
        plain = lab.name('p')
        bridge.add_port(plain, port_type='internal')               # no iface-id: not reported
        bridge.set_interface_external_ids(plain, {'iface-id': 'port-10'})
        became_vif = _next_change(changes, plain)
        assert (became_vif.event, became_vif.iface_id) == ('updated', 'port-10')
        bridge.delete_port(veth.outer)
        removed = _next_change(changes, veth.outer)
        assert (removed.event, removed.iface_id) == ('removed', 'port-9')
    reported = []
    while not changes.empty():
        reported.append(changes.get())
    assert 'before' not in [c.iface_id for c in reported]      # existing ones: not by default


def test_monitor_can_report_existing_interfaces(lab):
    bridge = lab.bridge()
    port = lab.name('p')
    bridge.add_port(port, port_type='internal', external_ids={'iface-id': 'already'})
    changes = queue.Queue()
    with ovsdb_monitor.InterfaceMonitor(changes.put, report_existing=True):
        change = _next_change(changes, port)
    assert (change.event, change.iface_id) == ('added', 'already')
