"""The tunnel side of the OVS agent: br-tun's tunnel ports (one per remote host and type) and
what the server's FDB entries (L2 population) say about each tunnel network here. Pure
bookkeeping plus bridge calls, so it can be tested with fake bridges.

For PortWiring, an ``Overlay`` is the "link" of the tunnel networks, as a PhysicalLink is
that of a physical network: ``flows(int_br, mapping)`` and ``cleanup(int_br, mapping)``.

FDB entries (Neutron's format): ``{network_id: {'segment_id', 'network_type', 'ports':
{tunnel_ip: [[mac, ip], ...]}}}``; constants.FLOODING_ENTRY in a host's list means that
host has ports on the network, so the network's floods go to it. A network's entries are
pulled from the server (get_fdb_entries) once it has a local VLAN here, then kept up to date
by the add/remove casts; changes rewrite only the flows that differ.
"""

import logging

from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import flows
from netmgr.agent.l2.ovs import tunnel_flows
from netmgr import constants as const
from netmgr import devnames

LOG = logging.getLogger(__name__)

# br-tun flows the agent owns, by (table, priority): after a restart, those found on the
# bridge that the agent would not program now are deleted (learned flows are left alone).
SWEPT = frozenset([(tunnel_flows.CLASSIFY, 1), (tunnel_flows.UNICAST,
                                                tunnel_flows.POPULATED_PRIORITY),
                   (tunnel_flows.FLOOD, 1)] +
                  [(table, 1) for table in tunnel_flows.FROM_TUNNEL.values()])


def is_flooding_entry(entry):
    return tuple(entry) == const.FLOODING_ENTRY


class NetworkFdb:
    """What the FDB entries say about one network: the hosts to flood to and the host of each
    remote MAC (by tunnel IP)."""

    def __init__(self):
        self.flood = set()
        self.pairs = {}         # tunnel ip -> {(mac, ip)}
        self.macs = {}          # mac -> tunnel ip (the last one that announced it)

    def add(self, tunnel_ip, entries):
        for entry in entries:
            if is_flooding_entry(entry):
                self.flood.add(tunnel_ip)
            else:
                mac, address = entry
                self.pairs.setdefault(tunnel_ip, set()).add((mac, address))
                self.macs[mac] = tunnel_ip

    def remove(self, tunnel_ip, entries):
        for entry in entries:
            if is_flooding_entry(entry):
                self.flood.discard(tunnel_ip)
                continue
            mac, address = entry
            pairs = self.pairs.get(tunnel_ip, set())
            pairs.discard((mac, address))
            if not pairs:
                self.pairs.pop(tunnel_ip, None)
            if self.macs.get(mac) == tunnel_ip and not any(m == mac for m, _ in pairs):
                elsewhere = sorted(ip for ip, p in self.pairs.items()
                                   if any(m == mac for m, _ in p))
                if elsewhere:
                    self.macs[mac] = elsewhere[0]
                else:
                    del self.macs[mac]


def flow_key(table, priority, match):
    """What identifies a rule, the same for a Flow and for a dumped rule (numbers compared as
    numbers, text case-insensitively)."""
    def value(text):
        text = str(text).lower()
        try:
            return int(text, 0)
        except ValueError:
            return text
    return table, priority, frozenset((k, value(v)) for k, v in match)


class Overlay:
    """br-tun of this host: ``settings`` (conf.ovs_agent.TunnelSettings), the bridge and the
    patch ports' OpenFlow numbers (on br-int and on br-tun)."""

    def __init__(self, settings, bridge, int_ofport, tun_ofport):
        self.settings = settings
        self.bridge = bridge
        self.int_ofport = int_ofport
        self.tun_ofport = tun_ofport
        self.ports = {}         # (tunnel type, remote ip) -> ofport
        self.fdb = {}           # network id -> NetworkFdb, of the networks pulled

    @property
    def tunnel_types(self):
        return self.settings.tunnel_types

    def carries(self, network_type):
        return network_type in self.settings.tunnel_types

    # ---- the link of tunnel networks (PortWiring) -------------------------------------------

    def flows(self, int_br, mapping):
        """[(bridge, Flow)] of one tunnel network on this host."""
        return ([(int_br, tunnel_flows.integration_inbound(self.int_ofport, mapping))] +
                [(self.bridge, f) for f in self.network_flows(mapping).values()])

    def cleanup(self, int_br, mapping):
        """[(bridge, Flow)] whose matches remove every flow of the network (it left this
        host); its FDB entries are forgotten (pulled again if it comes back)."""
        self.fdb.pop(mapping.network_id, None)
        return ([(int_br, tunnel_flows.integration_inbound(self.int_ofport, mapping))] +
                [(self.bridge, f) for f in tunnel_flows.network_matches(mapping)])

    def network_flows(self, mapping):
        """{key: Flow}: the network's br-tun flows from what is known now."""
        wanted = {'inbound': tunnel_flows.inbound(mapping)}
        fdb = self.fdb.get(mapping.network_id)
        if self.settings.l2_population:
            flood = fdb.flood if fdb else ()
            macs = fdb.macs if fdb else {}
        else:
            flood = [ip for t, ip in self.ports if t == mapping.network_type]
            macs = {}
        flood_flow = tunnel_flows.flood(mapping, self._ofports(mapping, flood))
        if flood_flow is not None:
            wanted['flood'] = flood_flow
        for mac, tunnel_ip in sorted(macs.items()):
            ofport = self.ports.get((mapping.network_type, tunnel_ip))
            if ofport:
                wanted[mac] = tunnel_flows.unicast(mapping, mac, ofport)
        return wanted

    def _ofports(self, mapping, tunnel_ips):
        found = (self.ports.get((mapping.network_type, ip)) for ip in tunnel_ips)
        return [p for p in found if p]

    # ---- tunnel ports -----------------------------------------------------------------------

    def restore(self, interfaces):
        """Take back the tunnel ports found on br-tun after a restart: ``interfaces``
        {name: (type, options, ofport)}."""
        for name, (port_type, options, ofport) in interfaces.items():
            remote = options.get('remote_ip')
            if port_type in self.tunnel_types and remote and ofport and \
                    name == devnames.tunnel_port_name(port_type, remote):
                self.ports[(port_type, remote)] = ofport

    def add_tunnel(self, tunnel_type, remote_ip, changes, mappings=()):
        """The tunnel port to ``remote_ip`` (made if needed); returns its ofport, None for
        this host's own IP or a type not carried. Without L2 population the floods of the
        networks ``mappings`` of that type now reach it too."""
        if remote_ip == self.settings.local_ip or not self.carries(tunnel_type):
            return None
        key = (tunnel_type, remote_ip)
        if key in self.ports:
            return self.ports[key]
        before = self._snapshot(mappings)
        name = devnames.tunnel_port_name(tunnel_type, remote_ip)
        ofport = ovs_bridges.add_tunnel_port(self.bridge, name, tunnel_type,
                                             self.settings.local_ip, remote_ip,
                                             self.settings.vxlan_udp_port)
        self.ports[key] = ofport
        LOG.info('tunnel port %s to %s (%s)', name, remote_ip, tunnel_type)
        changes.add(self.bridge, tunnel_flows.from_tunnel_port(ofport, tunnel_type))
        self._diff(before, mappings, changes)
        return ofport

    def keep_tunnels(self, tunnel_type, remote_ips, changes, mappings=()):
        """After a tunnel_sync: the ports of ``tunnel_type`` are those to ``remote_ips``;
        others (hosts the server no longer knows) go."""
        for ip in sorted(set(remote_ips)):
            self.add_tunnel(tunnel_type, ip, changes, mappings)
        stale = [ip for t, ip in self.ports if t == tunnel_type and ip not in remote_ips]
        if stale:
            before = self._snapshot(mappings)
            for ip in stale:
                ofport = self.ports.pop((tunnel_type, ip))
                self.bridge.delete_port(devnames.tunnel_port_name(tunnel_type, ip))
                changes.delete(self.bridge, tunnel_flows.from_tunnel_port(ofport, tunnel_type))
                LOG.info('tunnel port to %s (%s) removed', ip, tunnel_type)
            self._diff(before, mappings, changes)

    def port_flows(self):
        return [tunnel_flows.from_tunnel_port(ofport, tunnel_type)
                for (tunnel_type, _ip), ofport in sorted(self.ports.items())]

    # ---- FDB entries ------------------------------------------------------------------------

    def pulled(self, network_id):
        """Whether the network's entries were pulled (casts about it apply from then on)."""
        return network_id in self.fdb

    def forget_entries(self):
        """Every network's entries are to be pulled again (after a reconnect)."""
        self.fdb.clear()

    def replace_entries(self, mappings, entries, changes):
        """Entries pulled for the networks ``mappings`` (LocalVlans) replace what was known."""
        for mapping in mappings:
            before = self.network_flows(mapping)
            self.fdb[mapping.network_id] = NetworkFdb()
            self._update(mapping, entries.get(mapping.network_id), changes, add=True)
            self._diff_one(mapping, before, changes)

    def add_entries(self, vlans, entries, changes):
        """A cast's entries (``vlans``: the LocalVlanManager); networks not pulled here are
        ignored (their pull comes later and includes these)."""
        self._cast(vlans, entries, changes, add=True)

    def remove_entries(self, vlans, entries, changes):
        self._cast(vlans, entries, changes, add=False)

    def _cast(self, vlans, entries, changes, add):
        for network_id, network in sorted(entries.items()):
            mapping = vlans.get(network_id)
            if mapping is None or not self.pulled(network_id):
                continue
            before = self.network_flows(mapping)
            self._update(mapping, network, changes, add)
            self._diff_one(mapping, before, changes)

    def _update(self, mapping, network, changes, add):
        """This host's own entries and those of another type than the network's here are
        ignored."""
        if not network or network.get('network_type') != mapping.network_type or \
                not self.carries(mapping.network_type):
            return
        fdb = self.fdb[mapping.network_id]
        for tunnel_ip, host_entries in sorted(network.get('ports', {}).items()):
            if tunnel_ip == self.settings.local_ip:
                continue
            if add:
                self.add_tunnel(mapping.network_type, tunnel_ip, changes)
                fdb.add(tunnel_ip, host_entries)
            else:
                fdb.remove(tunnel_ip, host_entries)

    # ---- flow changes -------------------------------------------------------------------------

    def _snapshot(self, mappings):
        return {m.network_id: self.network_flows(m) for m in mappings
                if m.network_type in const.TUNNEL_TYPES}

    def _diff(self, before, mappings, changes):
        for mapping in mappings:
            if mapping.network_id in before:
                self._diff_one(mapping, before[mapping.network_id], changes)

    def _diff_one(self, mapping, before, changes):
        """Add what is new or changed, delete what is gone."""
        after = self.network_flows(mapping)
        for key, flow in after.items():
            if before.get(key) != flow:
                changes.add(self.bridge, flow)
        for key, flow in before.items():
            if key not in after:
                changes.delete(self.bridge, flow)

    def all_flows(self, mappings):
        """Every br-tun flow the agent programs now: base, tunnel ports, networks."""
        wanted = (tunnel_flows.tunnel_base(self.tun_ofport, self.tunnel_types) +
                  self.port_flows())
        for mapping in mappings:
            if self.carries(mapping.network_type):
                wanted.extend(self.network_flows(mapping).values())
        return wanted

    def sweep(self, mappings, changes):
        """Delete br-tun flows the agent owns but would not program now (left by an earlier
        run: hosts, MACs or networks gone while it was down)."""
        wanted = {flow_key(f.table, f.priority, f.match) for f in self.all_flows(mappings)}
        for dumped in self.bridge.flows.dump_flows():
            if (dumped.table, dumped.priority) not in SWEPT:
                continue
            match = tuple(dumped.match.items())
            if flow_key(dumped.table, dumped.priority, match) not in wanted:
                changes.delete(self.bridge, flows.Flow(dumped.table, dumped.priority, match))
