"""Open vSwitch bridges and ports over OVSDB (ovsdbapp), flows through ``ovs-ofctl``.

One OVSDB connection per connection string and process (ovsdbapp keeps its IDL in a
background thread). Verbs are idempotent (may_exist / if_exists) and can share one
transaction: ``with ovsdb.transaction() as txn: bridge.add_port(..., txn=txn)``.

An ``OVSDB`` stands for one Open vSwitch: its database connection and, when its ovs-vswitchd
does not use the default run directory, that ``ovs_rundir`` (where the bridges' OpenFlow
management sockets are, see ofctl): its bridges' flows go to that ovs-vswitchd.
"""

import collections
import contextlib
import threading

from ovsdbapp.backend.ovs_idl import connection as ovs_connection
from ovsdbapp.schema.open_vswitch import impl_idl

from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import ofctl
from netmgr import exceptions

DEFAULT_CONNECTION = 'unix:/var/run/openvswitch/db.sock'
DEFAULT_TIMEOUT = 10
OPENFLOW_VERSIONS = ('OpenFlow10', 'OpenFlow11', 'OpenFlow12', 'OpenFlow13')

VifPort = collections.namedtuple('VifPort',
                                 'port_name ofport iface_id attached_mac vm_uuid bridge')

_APIS = {}
_APIS_LOCK = threading.Lock()


@contextlib.contextmanager
def ovsdb_errors(connection):
    """Any ovsdbapp/python-ovs failure becomes OVSDBOperationError."""
    try:
        yield
    except exceptions.NetmgrException:
        raise
    except Exception as exc:  # ovsdbapp raises RuntimeError, TimeoutException and others
        raise exceptions.OVSDBOperationError(connection=connection,
                                             reason=str(exc) or type(exc).__name__) from exc


def _new_api(connection, timeout):
    # ovsdbapp keeps the connection on the API class: one class per connection string.
    class _VswitchApi(impl_idl.OvsdbIdl):
        _ovsdb_connection = None

    idl = ovs_connection.OvsdbIdl.from_server(connection, 'Open_vSwitch')
    return _VswitchApi(ovs_connection.Connection(idl, timeout))


class OVSDB:
    """The Open_vSwitch database of this host (and the run directory of its ovs-vswitchd)."""

    def __init__(self, connection=DEFAULT_CONNECTION, timeout=DEFAULT_TIMEOUT, executor=None,
                 ovs_rundir=None):
        self.connection = connection
        self.timeout = timeout
        self.executor = executor or agent_executor.Executor()
        self.ovs_rundir = ovs_rundir or None

    @property
    def api(self):
        with _APIS_LOCK:
            if self.connection not in _APIS:
                with ovsdb_errors(self.connection):
                    _APIS[self.connection] = _new_api(self.connection, self.timeout)
            return _APIS[self.connection]

    @contextlib.contextmanager
    def transaction(self):
        """One OVSDB transaction; commands added to it commit together on exit."""
        api = self.api
        with ovsdb_errors(self.connection):
            with api.transaction(check_error=True, log_errors=False) as txn:
                yield txn

    def run(self, commands, txn=None):
        """Add ``commands`` to ``txn``, or commit them now in their own transaction."""
        if txn is not None:
            for command in commands:
                txn.add(command)
            return None
        with self.transaction() as own:
            results = [own.add(command) for command in commands]
        return [result.result for result in results]

    def execute(self, command):
        with ovsdb_errors(self.connection):
            return command.execute(check_error=True, log_errors=False)

    def list_bridges(self):
        return sorted(self.execute(self.api.list_br()))

    def bridge_exists(self, name):
        return bool(self.execute(self.api.br_exists(name)))

    def add_bridge(self, name, datapath_type='system', fail_mode='secure',
                   protocols=OPENFLOW_VERSIONS, txn=None):
        """Create ``name`` (or bring an existing one to these settings)."""
        api = self.api
        self.run([api.add_br(name, may_exist=True, datapath_type=datapath_type),
                  api.db_set('Bridge', name, ('datapath_type', datapath_type),
                             ('fail_mode', fail_mode or []), ('protocols', list(protocols)))],
                 txn)
        return self.bridge(name)

    def delete_bridge(self, name, txn=None):
        self.run([self.api.del_br(name, if_exists=True)], txn)

    def bridge(self, name):
        """The OVSBridge ``name`` on this database (no check that it exists)."""
        return OVSBridge(name, self, self.executor)

    def interface_bridge(self, interface):
        """The bridge holding interface ``interface``, or None (also when OVSDB has no such
        interface: ovsdbapp's iface_to_br raises then)."""
        if not self.execute(self.api.db_find('Interface', ('name', '=', interface),
                                             columns=['name'])):
            return None
        return self.execute(self.api.iface_to_br(interface))


class OVSBridge:
    """One bridge: its ports in OVSDB and its OpenFlow table through ``ovs-ofctl``."""

    def __init__(self, name, ovsdb=None, executor=None):
        self.name = name
        self.ovsdb = ovsdb or OVSDB()
        self.flows = ofctl.OpenFlowTable(name, executor or agent_executor.Executor(),
                                         rundir=self.ovsdb.ovs_rundir)

    def __repr__(self):
        return 'OVSBridge(%r)' % self.name

    def exists(self):
        return self.ovsdb.bridge_exists(self.name)

    def delete(self, txn=None):
        self.ovsdb.delete_bridge(self.name, txn)

    # ---- ports ---------------------------------------------------------------------------

    def add_port(self, port, port_type=None, tag=None, external_ids=None, options=None,
                 txn=None):
        """Add ``port`` (may exist: its settings are updated).

        ``port_type``: None (a kernel device), 'internal', 'patch' (with options={'peer': ..})
        """
        api = self.ovsdb.api
        iface = []
        if port_type:
            iface.append(('type', port_type))
        if external_ids:
            iface.append(('external_ids', dict(external_ids)))
        if options:
            iface.append(('options', dict(options)))
        commands = [api.add_port(self.name, port, may_exist=True)]
        if iface:
            commands.append(api.db_set('Interface', port, *iface))
        if tag is not None:
            commands.append(api.db_set('Port', port, ('tag', int(tag))))
        self.ovsdb.run(commands, txn)

    def add_patch_port(self, port, peer, tag=None, txn=None):
        self.add_port(port, port_type='patch', tag=tag, options={'peer': peer}, txn=txn)

    def delete_port(self, port, txn=None):
        self.ovsdb.run([self.ovsdb.api.del_port(port, bridge=self.name, if_exists=True)], txn)

    def port_names(self):
        return sorted(self.ovsdb.execute(self.ovsdb.api.list_ports(self.name)))

    def set_port_tag(self, port, tag, txn=None):
        """Put ``port`` in access VLAN ``tag`` (None: no tag, a trunk of every VLAN)."""
        api = self.ovsdb.api
        command = (api.db_clear('Port', port, 'tag') if tag is None
                   else api.db_set('Port', port, ('tag', int(tag))))
        self.ovsdb.run([command], txn)

    def get_port_tag(self, port):
        tag = self.ovsdb.execute(self.ovsdb.api.db_get('Port', port, 'tag'))
        return tag[0] if isinstance(tag, list) and tag else (tag or None)

    def get_ofport(self, port):
        """The OpenFlow port number, or None while ovs-vswitchd has not given one (or -1)."""
        return _single(self.ovsdb.execute(self.ovsdb.api.db_get('Interface', port, 'ofport')))

    def set_port_vlan(self, port, tag, other_config, txn=None):
        """Access VLAN ``tag`` and Port.other_config of ``port`` in one change."""
        self.ovsdb.run([self.ovsdb.api.db_set('Port', port, ('tag', int(tag)),
                                              ('other_config', dict(other_config)))], txn)

    def port_vlans(self, names):
        """{port name: (tag or None, other_config dict)} of the existing ports ``names``."""
        if not names:
            return {}
        rows = self.ovsdb.execute(self.ovsdb.api.db_list(
            'Port', list(names), columns=['name', 'tag', 'other_config'], if_exists=True))
        result = {}
        for row in rows:
            tag = row.get('tag')
            if isinstance(tag, list):
                tag = tag[0] if tag else None
            result[row['name']] = (tag, dict(row.get('other_config') or {}))
        return result

    def set_interface_external_ids(self, port, external_ids, txn=None):
        self.ovsdb.run([self.ovsdb.api.db_set('Interface', port,
                                              ('external_ids', dict(external_ids)))], txn)

    def _interface_rows(self, columns):
        names = self.port_names()
        if not names:
            return []
        return self.ovsdb.execute(self.ovsdb.api.db_list('Interface', names,
                                                         columns=['name'] + list(columns),
                                                         if_exists=True))

    def vif_ports(self):
        """The ports with ``external_ids:iface-id`` (VM/instance ports): [VifPort]."""
        rows = self._interface_rows(['ofport', 'external_ids'])
        return sorted((vif_port(row, self.name) for row in rows
                       if row['external_ids'].get('iface-id')), key=lambda p: p.port_name)

    def interfaces(self):
        """{name: (type, options dict, ofport or None)} of this bridge's interfaces."""
        return {row['name']: (row.get('type') or '', dict(row.get('options') or {}),
                              _single(row.get('ofport')))
                for row in self._interface_rows(['type', 'options', 'ofport'])}


def _single(ofport):
    """An ofport column's value (a list when empty) as a port number, or None (also for -1,
    a port ovs-vswitchd could not open)."""
    if isinstance(ofport, list):
        ofport = ofport[0] if ofport else None
    return ofport if ofport and ofport > 0 else None


def vif_port(row, bridge=None):
    """A VifPort from an Interface row as a dict (name, ofport, external_ids)."""
    ids = row.get('external_ids') or {}
    return VifPort(row['name'], _single(row.get('ofport')), ids.get('iface-id'),
                   ids.get('attached-mac'), ids.get('vm-uuid'), bridge)
