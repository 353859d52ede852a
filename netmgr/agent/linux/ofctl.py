"""OpenFlow rules of one bridge through ``ovs-ofctl``: building specs, batching, parsing dumps.

A spec is ovs-ofctl's text form: ``table=0,priority=10,in_port=1,actions=NORMAL``. Batches go
to ``ovs-ofctl add-flows|del-flows BRIDGE -`` on stdin: one process for many rules.

ovs-ofctl finds a bridge named alone through the management socket ``<bridge>.mgmt`` in its
run directory (/var/run/openvswitch unless OVS_RUNDIR says otherwise). For an ovs-vswitchd
with another run directory, the table names that socket instead: ``unix:<rundir>/<bridge>.mgmt``.
"""

import collections
import contextlib
import os
import re

OPENFLOW_PROTOCOLS = 'OpenFlow10,OpenFlow13'
DEFAULT_PRIORITY = 32768
# Fields of a dump line that describe the rule's state, not what it matches.
_STAT_FIELDS = frozenset(('cookie', 'duration', 'table', 'n_packets', 'n_bytes', 'idle_age',
                          'hard_age', 'idle_timeout', 'hard_timeout', 'importance',
                          'reset_counts', 'send_flow_rem', 'check_overlap', 'no_packet_counts',
                          'no_byte_counts', 'priority', 'out_port', 'out_group'))

DumpedFlow = collections.namedtuple('DumpedFlow',
                                    'table priority match actions cookie n_packets n_bytes')

_ADD = 'add-flows'
_DEL = 'del-flows'


def _field(key, value):
    return key if value is None else '%s=%s' % (key, value)


def flow_spec(table=None, priority=None, cookie=None, actions=None, **match):
    """``flow_spec(table=0, priority=10, in_port=1, dl_vlan=5, actions='strip_vlan,NORMAL')``.

    Match fields keep their keyword order; a field whose value is None is a bare keyword
    (``ip=None`` -> ``ip``). With ``actions`` it is an add spec, without it a match.
    """
    parts = []
    if cookie is not None:
        parts.append('cookie=%s' % (hex(cookie) if isinstance(cookie, int) else cookie))
    if table is not None:
        parts.append('table=%d' % int(table))
    if priority is not None:
        parts.append('priority=%d' % int(priority))
    parts.extend(_field(key, value) for key, value in match.items())
    if actions is not None:
        parts.append('actions=%s' % actions)
    return ','.join(parts)


def parse_dump(text):
    """Parse ``ovs-ofctl dump-flows`` output (OpenFlow 1.0 or 1.3 form) into DumpedFlows."""
    flows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or ' actions=' not in ' ' + line:
            continue
        head, _sep, actions = (' ' + line).rpartition(' actions=')
        values, match = {}, {}
        for token in re.split(r'[,\s]+', head.strip()):
            if not token:
                continue
            key, sep, value = token.partition('=')
            if key in _STAT_FIELDS:
                values[key] = value if sep else True
            else:
                match[key] = value if sep else None
        flows.append(DumpedFlow(
            table=int(values.get('table', 0)),
            priority=int(values.get('priority', DEFAULT_PRIORITY)),
            match=match, actions=actions.strip(),
            cookie=int(values.get('cookie', '0'), 16),
            n_packets=int(values.get('n_packets', 0)),
            n_bytes=int(values.get('n_bytes', 0))))
    return flows


def switch_target(bridge, rundir=None):
    """What ovs-ofctl is told to reach for ``bridge``: its name (found in ovs-ofctl's own run
    directory) or, with ``rundir``, ``unix:<rundir>/<bridge>.mgmt``: the bridge's management
    socket of the ovs-vswitchd whose OVS_RUNDIR is ``rundir``."""
    if not rundir:
        return bridge
    return 'unix:' + os.path.join(rundir, bridge + '.mgmt')


class OpenFlowTable:
    """The flow table of bridge ``bridge``, changed and read with ovs-ofctl via ``executor``;
    ``rundir``: the run directory of the ovs-vswitchd holding the bridge (None: the default)."""

    def __init__(self, bridge, executor, protocols=OPENFLOW_PROTOCOLS, rundir=None):
        self.bridge = bridge
        self.executor = executor
        self.protocols = protocols
        self.target = switch_target(bridge, rundir)

    def argv(self, verb, *args, options=()):
        return (['ovs-ofctl', '-O', self.protocols] + list(options) + [verb, self.target] +
                list(args))

    def _run(self, verb, *args, process_input=None, options=()):
        return self.executor.execute(self.argv(verb, *args, options=options),
                                     process_input=process_input)

    def add_flow(self, **kwargs):
        """``add_flow(table=0, priority=1, in_port=2, actions='drop')`` (actions required)."""
        if kwargs.get('actions') is None:
            raise ValueError('add_flow needs actions')
        self._run('add-flow', flow_spec(**kwargs))

    def del_flows(self, strict=False, **match):
        """Delete the rules matching ``match`` (every rule when empty)."""
        if strict:
            self._run('del-flows', flow_spec(**match), options=['--strict'])
        elif match:
            self._run('del-flows', flow_spec(**match))
        else:
            self._run('del-flows')

    def add_flows(self, specs):
        """Add many rules (spec strings) with one ovs-ofctl."""
        self._batch(_ADD, specs)

    def delete_flows(self, specs):
        """Delete the rules matching each spec string, with one ovs-ofctl."""
        self._batch(_DEL, specs)

    def _batch(self, verb, specs):
        specs = list(specs)
        if specs:
            self._run(verb, '-', process_input='\n'.join(specs) + '\n')

    def dump_flows(self, table=None):
        args = ['table=%d' % int(table)] if table is not None else []
        return parse_dump(self._run('dump-flows', *args))

    @contextlib.contextmanager
    def deferred(self):
        """Collect add/delete calls and apply them on exit, in order, one process per run.

        Nothing is applied when the block raises.
        """
        batch = FlowBatch()
        yield batch
        for verb, specs in batch.runs():
            self._batch(verb, specs)


class FlowBatch:
    """Flow changes recorded by ``OpenFlowTable.deferred()``."""

    def __init__(self):
        self.changes = []

    def add_flow(self, **kwargs):
        if kwargs.get('actions') is None:
            raise ValueError('add_flow needs actions')
        self.changes.append((_ADD, flow_spec(**kwargs)))

    def del_flows(self, **match):
        if not match:
            raise ValueError('a batched delete needs a match')
        self.changes.append((_DEL, flow_spec(**match)))

    def add_specs(self, specs):
        self.changes.extend((_ADD, spec) for spec in specs)

    def delete_specs(self, specs):
        self.changes.extend((_DEL, spec) for spec in specs)

    def runs(self):
        """[(verb, [spec, ...])]: consecutive changes of one kind share one ovs-ofctl run."""
        grouped = []
        for verb, spec in self.changes:
            if grouped and grouped[-1][0] == verb:
                grouped[-1][1].append(spec)
            else:
                grouped.append((verb, [spec]))
        return grouped
