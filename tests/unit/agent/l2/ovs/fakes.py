"""Fakes of the OVS agent's bridges and server for unit tests: flows kept as rule text with
ovs-ofctl's add (same match and priority: replaced) and non-strict delete, ports in OVSDB,
and the plugin RPC API."""

import contextlib

from netmgr.agent.linux import ofctl
from netmgr.agent.linux import ovs_lib


def _rule(spec):
    """A rule's identity: its text before the actions (table, match, priority)."""
    return spec.rpartition(',actions=')[0]


class FakeFlows:
    def __init__(self):
        self.rules = {}         # identity -> add spec
        self.runs = 0
        self.log = []           # (verb, spec) in the order applied

    @property
    def specs(self):
        return set(self.rules.values())

    def clear(self):
        self.rules.clear()

    @contextlib.contextmanager
    def deferred(self):
        batch = ofctl.FlowBatch()
        yield batch
        for verb, specs in batch.runs():
            self.runs += 1
            for spec in specs:
                self.log.append((verb, spec))
                if verb == 'add-flows':
                    self.rules[_rule(spec)] = spec
                else:   # non-strict delete: every rule whose match starts with this one
                    self.rules = {k: s for k, s in self.rules.items()
                                  if not k.startswith(spec + ',')}

    def dump_flows(self, table=None):
        return [flow for flow in ofctl.parse_dump('\n'.join(
            s.replace(',actions=', ' actions=') for s in sorted(self.rules.values())))
            if table is None or flow.table == table]

    def table(self, table):
        """The add specs of one table."""
        return {s for s in self.rules.values() if s.startswith('table=%d,' % table)}


class FakeOvsdb:
    @contextlib.contextmanager
    def transaction(self):
        yield object()


class FakeBridge:
    def __init__(self, name):
        self.name = name
        self.ovsdb = FakeOvsdb()
        self.flows = FakeFlows()
        self.ports = {}         # name -> [VifPort, tag, other_config]
        self.interface_rows = {}     # name -> (type, options, ofport): other ports
        self._next_ofport = 100

    # instance ports on br-int
    def plug(self, name, iface_id, ofport, tag=None, other_config=None):
        self.ports[name] = [ovs_lib.VifPort(name, ofport, iface_id, 'fa:16:3e:00:00:01',
                                            'vm', self.name), tag, other_config or {}]

    def unplug(self, name):
        del self.ports[name]

    def vif_ports(self):
        return [entry[0] for entry in self.ports.values()]

    def port_vlans(self, names):
        return {n: (self.ports[n][1], self.ports[n][2]) for n in names if n in self.ports}

    def set_port_vlan(self, name, tag, other_config, txn=None):
        self.ports[name][1:] = [tag, dict(other_config)]

    def tag(self, name):
        return self.ports[name][1]

    # other ports (tunnels on br-tun)
    def add_port(self, name, port_type=None, tag=None, external_ids=None, options=None,
                 txn=None):
        ofport = self.interface_rows.get(name, (None, None, None))[2]
        if ofport is None:
            ofport, self._next_ofport = self._next_ofport, self._next_ofport + 1
        self.interface_rows[name] = (port_type, dict(options or {}), ofport)

    def delete_port(self, name, txn=None):
        self.interface_rows.pop(name, None)

    def get_ofport(self, name):
        return self.interface_rows.get(name, (None, None, None))[2]

    def interfaces(self):
        return dict(self.interface_rows)


class FakeServer:
    """The plugin RPC API: ports {id: details}, tunnel endpoints and FDB entries; records
    calls; can fail N times."""

    def __init__(self):
        self.ports = {}
        self.calls = []
        self.fail = 0
        self.endpoints = {}     # tunnel type -> {ip: host}
        self.fdb = {}           # network id -> entries as get_fdb_entries answers them

    def add(self, port_id, network_id, network_type='vlan', physnet='physnet1', seg=100,
            admin_state_up=True, host='h1'):
        self.ports[port_id] = {'device': port_id, 'port_id': port_id,
                               'network_id': network_id, 'admin_state_up': admin_state_up,
                               'network_type': network_type, 'physical_network': physnet,
                               'segmentation_id': seg, 'host': host}

    def _maybe_fail(self):
        if self.fail:
            self.fail -= 1
            raise TimeoutError('MessagingTimeout')

    def get_devices_details_list(self, context, devices, agent_id, host):
        self._maybe_fail()
        self.calls.append(('details', sorted(devices)))
        return [self.ports[d] if d in self.ports and self.ports[d]['host'] == host
                else {'device': d} for d in devices]

    def update_device_list(self, context, up, down, agent_id, host):
        self._maybe_fail()
        self.calls.append(('update', list(up), list(down)))

    def get_ports_on_host(self, context, host):
        self._maybe_fail()
        return [p for p, d in self.ports.items() if d['host'] == host]

    def tunnel_sync(self, context, tunnel_ip, tunnel_type, host):
        self._maybe_fail()
        self.calls.append(('tunnel_sync', tunnel_ip, tunnel_type, host))
        known = self.endpoints.setdefault(tunnel_type, {})
        known[tunnel_ip] = host
        return {'tunnels': [{'ip_address': ip, 'host': h} for ip, h in sorted(known.items())]}

    def get_fdb_entries(self, context, network_ids, host):
        self._maybe_fail()
        self.calls.append(('get_fdb_entries', sorted(network_ids)))
        return {n: self.fdb[n] for n in network_ids if n in self.fdb}
