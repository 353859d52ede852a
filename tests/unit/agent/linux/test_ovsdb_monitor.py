"""Which OVSDB Interface changes the monitor reports, and how, on fake rows (no OVS needed)."""

import types

import pytest

from netmgr.agent.linux import ovs_lib
from netmgr.agent.linux import ovsdb_monitor
from netmgr import exceptions


def row(**columns):
    return types.SimpleNamespace(**columns)


VIF = row(name='tap1', ofport=[4], external_ids={'iface-id': 'p1', 'attached-mac': 'm',
                                                 'vm-uuid': 'vm'}, type='')


@pytest.fixture
def monitor():
    seen = []
    mon = ovsdb_monitor.InterfaceMonitor(seen.append)
    mon.reporting = True
    mon.seen = seen
    return mon


def _fire(monitor, event, new, old=None):
    ev = ovsdb_monitor._InterfaceRowEvent(monitor)
    assert ev.table == 'Interface' and event in ev.events
    if ev.match_fn(event, new, old):
        ev.run(event, new, old)
    return monitor.seen


def test_added_and_removed_vif_interfaces_are_reported(monitor):
    _fire(monitor, 'create', VIF)
    _fire(monitor, 'delete', VIF)
    assert monitor.seen == [
        ovsdb_monitor.InterfaceChange('added', 'tap1', 4, 'p1', 'm', 'vm', VIF.external_ids),
        ovsdb_monitor.InterfaceChange('removed', 'tap1', 4, 'p1', 'm', 'vm', VIF.external_ids)]


def test_interfaces_without_iface_id_are_ignored(monitor):
    plain = row(name='patch-int', ofport=[1], external_ids={}, type='patch')
    _fire(monitor, 'create', plain)
    _fire(monitor, 'update', plain, row(ofport=[]))
    assert monitor.seen == []


def test_updates_reported_only_for_columns_an_agent_uses(monitor):
    _fire(monitor, 'update', VIF, row(type='internal'))        # irrelevant column
    _fire(monitor, 'update', VIF, row(ofport=[]))               # ofport assigned
    assert [(c.event, c.ofport) for c in monitor.seen] == [('updated', 4)]


def test_losing_the_iface_id_is_an_update(monitor):
    bare = row(name='tap1', ofport=[4], external_ids={}, type='')
    _fire(monitor, 'update', bare, row(external_ids={'iface-id': 'p1'}))
    assert [(c.event, c.iface_id) for c in monitor.seen] == [('updated', None)]


def test_nothing_is_reported_before_start_unless_asked(monitor):
    monitor.reporting = False
    _fire(monitor, 'create', VIF)
    assert monitor.seen == []


def test_unassigned_ofport_reads_none():
    assert ovsdb_monitor.interface_change('added', row(name='t', ofport=[], external_ids={})
                                          ).ofport is None
    assert ovsdb_monitor.interface_change('added', row(name='t', ofport=[-1], external_ids={})
                                          ).ofport is None


def test_vif_port_from_an_interface_row():
    assert ovs_lib.vif_port({'name': 'tap1', 'ofport': 3,
                             'external_ids': {'iface-id': 'p', 'attached-mac': 'm'}},
                            'br-int') == ovs_lib.VifPort('tap1', 3, 'p', 'm', None, 'br-int')
    assert ovs_lib.vif_port({'name': 'tap1', 'ofport': [], 'external_ids': {}}).ofport is None


@pytest.mark.parametrize('connect', [
    lambda remote: ovs_lib.OVSDB(remote, timeout=1).list_bridges(),
    lambda remote: ovsdb_monitor.InterfaceMonitor(print, connection=remote, timeout=1).start(),
], ids=['ovsdb', 'monitor'])
def test_an_unreachable_ovsdb_is_a_typed_error(tmp_path, connect):
    remote = 'unix:%s' % (tmp_path / 'no-db.sock')
    with pytest.raises(exceptions.OVSDBOperationError, match='no-db.sock'):
        connect(remote)
