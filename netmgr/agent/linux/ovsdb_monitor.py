"""OVSDB events on the Interface table, so an agent reacts to new ports instead of polling.

A monitor holds its own OVSDB connection limited to the Interface table and calls
``callback(InterfaceChange)`` on ovsdbapp's notify thread for every interface that carries
``external_ids:iface-id`` (a VM port) when it is added, removed, or updated in a way an agent
cares about (ofport assigned, external_ids or name changed).
"""

import collections
import threading

from ovsdbapp.backend.ovs_idl import connection as ovs_connection
from ovsdbapp.backend.ovs_idl import event as ovs_event
from ovsdbapp.backend.ovs_idl import idlutils

from netmgr.agent.linux import ovs_lib

ADDED, UPDATED, REMOVED = 'added', 'updated', 'removed'
_COLUMNS = ('name', 'ofport', 'external_ids', 'type')
_WATCHED_CHANGES = ('name', 'ofport', 'external_ids')

InterfaceChange = collections.namedtuple(
    'InterfaceChange', 'event name ofport iface_id attached_mac vm_uuid external_ids')


def _ofport(value):
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if value and value > 0 else None


def interface_change(event, row):
    """An InterfaceChange from an Interface row (a frozen idl row or any object with columns)."""
    ids = dict(getattr(row, 'external_ids', {}) or {})
    return InterfaceChange(event, row.name, _ofport(getattr(row, 'ofport', None)),
                           ids.get('iface-id'), ids.get('attached-mac'), ids.get('vm-uuid'),
                           ids)


class _InterfaceRowEvent(ovs_event.RowEvent):
    _NAMES = {ovs_event.RowEvent.ROW_CREATE: ADDED,
              ovs_event.RowEvent.ROW_UPDATE: UPDATED,
              ovs_event.RowEvent.ROW_DELETE: REMOVED}

    def __init__(self, monitor):
        super().__init__((self.ROW_CREATE, self.ROW_UPDATE, self.ROW_DELETE), 'Interface', None)
        self.monitor = monitor
        self.event_name = 'InterfaceChangeEvent'

    def match_fn(self, event, row, old):
        if not self.monitor.reporting:
            return False        # the initial dump of the table, unless asked for
        ids = getattr(row, 'external_ids', None) or {}
        if event == self.ROW_UPDATE:
            old_ids = getattr(old, 'external_ids', None) or {}
            if not (ids.get('iface-id') or old_ids.get('iface-id')):
                return False
            return any(hasattr(old, column) for column in _WATCHED_CHANGES)
        return bool(ids.get('iface-id'))

    def run(self, event, row, old):
        self.monitor.callback(interface_change(self._NAMES[event], row))


class _EventIdl(ovs_connection.OvsdbIdl):
    """An IDL that hands every row change to an ovsdbapp RowEventHandler."""

    def __init__(self, remote, schema_helper, handler):
        super().__init__(remote, schema_helper)
        self.notify_handler = handler

    def notify(self, event, row, updates=None):
        self.notify_handler.notify(event, row, updates)


class InterfaceMonitor:
    """``InterfaceMonitor(callback).start()`` ... ``.stop()``.

    ``report_existing``: also report the interfaces already there when it starts (as added).
    """

    def __init__(self, callback, connection=ovs_lib.DEFAULT_CONNECTION,
                 timeout=ovs_lib.DEFAULT_TIMEOUT, report_existing=False):
        self.callback = callback
        self.connection = connection
        self.timeout = timeout
        self.report_existing = report_existing
        self.reporting = False
        self._ovsdb = None
        self._handler = None
        self._lock = threading.Lock()

    def start(self):
        with self._lock, ovs_lib.ovsdb_errors(self.connection):
            if self._ovsdb is not None:
                return
            self.reporting = self.report_existing
            helper = idlutils.get_schema_helper(self.connection, 'Open_vSwitch')
            helper.register_columns('Interface', list(_COLUMNS))
            handler = ovs_event.RowEventHandler()
            handler.watch_event(_InterfaceRowEvent(self))
            ovsdb = ovs_connection.Connection(_EventIdl(self.connection, helper, handler),
                                              self.timeout)
            try:
                ovsdb.start()       # returns once the table's current content is loaded
            except Exception:
                handler.shutdown()
                raise
            self._ovsdb, self._handler = ovsdb, handler
            self.reporting = True

    def stop(self):
        with self._lock:
            if self._ovsdb is None:
                return
            self.reporting = False
            self._ovsdb.stop(timeout=self.timeout)
            self._handler.shutdown()
            self._ovsdb = self._handler = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
