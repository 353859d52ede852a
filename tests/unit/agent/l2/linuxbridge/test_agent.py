"""The Linux bridge agent's decisions with fake bridges and a fake server: which taps go on
which bridge, what is reported up or down, unsupported segments, removed taps and bridges,
resync after a restart, retry after an RPC failure; and its options."""

import logging

import pytest

from netmgr.agent.l2.linuxbridge import agent as lb_agent
from netmgr.agent.l2.linuxbridge import bridges as lb_bridges
from netmgr.agent.l2.linuxbridge import firewall as lb_firewall
from netmgr import conf as nm_conf
from netmgr.conf import linuxbridge_agent as lb_conf
from netmgr import constants as const
from netmgr import devnames

HOST = 'compute-1'
NET_VX, NET_FLAT, NET_VLAN, NET_OTHER = ('a' * 8 + '-net-vx', 'b' * 8 + '-net-fl',
                                         'c' * 8 + '-net-vl', 'd' * 8 + '-net-ph')
SEGMENTS = {NET_VX: ('vxlan', None, 301), NET_FLAT: ('flat', 'physnet1', None),
            NET_VLAN: ('vlan', 'physnet1', 100), NET_OTHER: ('flat', 'physnet9', None)}


def port_id(n):
    return '%08x-1111-2222-3333-444455556666' % n


def tap(n):
    return 'tap' + port_id(n)[:11]


class FakeBridges(lb_bridges.BridgeManager):
    """The real segment checks; the kernel replaced by dicts."""

    def __init__(self, **kwargs):
        kwargs.setdefault('local_ip', '192.0.2.1')
        super().__init__({'physnet1': 'eth1'}, **kwargs)
        self.present = set()        # taps on the host
        self.members = {}           # bridge -> set of members
        self.removed = []
        self.flooded = []           # remote_ips after each set_remote_ips

    def set_remote_ips(self, remote_ips):
        self.remote_ips = sorted((set(self.static_remote_ips) | set(remote_ips)) -
                                 {self.local_ip})
        self.flooded.append(self.remote_ips)

    def taps(self):
        return set(self.present)

    def network_bridges(self):
        return {b: sorted(m) for b, m in self.members.items()}

    def plug(self, name, network_id, segment):
        self.check_segment(network_id, segment)
        self.members.setdefault(devnames.network_bridge_name(network_id), set()).add(name)

    def unplug(self, name, network_id):
        self.members.get(devnames.network_bridge_name(network_id), set()).discard(name)

    def remove_if_unused(self, bridge):
        if any(m.startswith('tap') for m in self.members.get(bridge, ())):
            return False
        self.members.pop(bridge, None)
        self.removed.append(bridge)
        return True

    def bridge_of(self, name):
        return next((b for b, m in self.members.items() if name in m), None)


class FakeServer:
    def __init__(self):
        self.ports = {}             # port id -> (network id, admin_state_up)
        self.active = []            # get_ports_on_host
        self.asked = []
        self.reports = []
        self.fail = set()           # method names that raise
        self.tunnels = [{'ip_address': '192.0.2.1', 'host': HOST}]
        self.synced = []

    def tunnel_sync(self, context, tunnel_ip, tunnel_type, host):
        self._maybe_fail('tunnel_sync')
        self.synced.append((tunnel_ip, tunnel_type, host))
        return {'tunnels': list(self.tunnels)}

    def _maybe_fail(self, method):
        if method in self.fail:
            raise RuntimeError('%s: broker away' % method)

    def get_ports_on_host(self, context, host):
        self._maybe_fail('get_ports_on_host')
        return list(self.active)

    def get_devices_details_list(self, context, devices, agent_id, host):
        self._maybe_fail('get_devices_details_list')
        self.asked.append(list(devices))
        result = []
        for device in devices:
            found = [p for p in self.ports if p.startswith(device)]
            if not found:
                result.append({'device': device})
                continue
            network_id, admin_up = self.ports[found[0]]
            network_type, physnet, seg_id = SEGMENTS[network_id]
            result.append({'device': device, 'port_id': found[0], 'network_id': network_id,
                           'admin_state_up': admin_up, 'network_type': network_type,
                           'physical_network': physnet, 'segmentation_id': seg_id})
        return result

    def update_device_list(self, context, up, down, agent_id, host):
        self._maybe_fail('update_device_list')
        self.reports.append((list(up), list(down)))


@pytest.fixture
def parts():
    return FakeBridges(), FakeServer()


def make_agent(parts, started=True):
    bridges, server = parts
    agent = lb_agent.LinuxBridgeAgent(HOST, bridges, server, polling_interval=0.1,
                                      configurations={'interface_mappings': {'physnet1': 'eth1'},
                                                      'tunnel_types': ['vxlan']})
    if started:
        agent.process_once()        # the start-up resync, nothing on the host yet
        server.reports.clear()
    return agent


def add_port(parts, n, network_id, admin_up=True, plugged=True):
    bridges, server = parts
    server.ports[port_id(n)] = (network_id, admin_up)
    if plugged:
        bridges.present.add(tap(n))


def test_new_taps_join_their_networks_bridge_and_are_reported_up_by_full_id(parts):
    bridges, server = parts
    agent = make_agent(parts)
    add_port(parts, 1, NET_VX)
    add_port(parts, 2, NET_FLAT)
    agent.process_once()
    assert server.asked == [sorted([port_id(1)[:11], port_id(2)[:11]])]
    assert bridges.bridge_of(tap(1)) == 'brq' + NET_VX[:11]
    assert bridges.bridge_of(tap(2)) == 'brq' + NET_FLAT[:11]
    assert server.reports == [([port_id(1), port_id(2)], [])]
    assert agent.device_count() == 2
    agent.process_once()            # nothing new: no call at all
    assert len(server.asked) == 1 and len(server.reports) == 1


def test_vlan_and_unmapped_physnets_stay_down_and_are_logged_once(parts, caplog):
    bridges, server = parts
    agent = make_agent(parts)
    for n, net in ((1, NET_VLAN), (2, NET_VLAN), (3, NET_OTHER)):
        add_port(parts, n, net)
    with caplog.at_level(logging.WARNING):
        agent.process_once()
    assert bridges.members == {}
    assert server.reports == [([], [port_id(1), port_id(2), port_id(3)])]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2       # one per network, not per port
    assert any('vlan is not supported' in w for w in warnings)
    assert any('physnet9' in w for w in warnings)
    assert agent.device_count() == 0


def test_a_removed_tap_is_reported_down_and_its_empty_bridge_removed(parts):
    bridges, server = parts
    agent = make_agent(parts)
    add_port(parts, 1, NET_VX)
    add_port(parts, 2, NET_VX)
    add_port(parts, 3, NET_FLAT)
    agent.process_once()
    bridges.present -= {tap(1), tap(3)}
    bridges.members['brq' + NET_VX[:11]].discard(tap(1))     # the kernel does that
    bridges.members['brq' + NET_FLAT[:11]].discard(tap(3))
    agent.process_once()
    assert server.reports[-1] == ([], [port_id(1), port_id(3)])
    assert bridges.removed == ['brq' + NET_FLAT[:11]]        # the vxlan one still has tap 2
    bridges.present.discard(tap(2))
    bridges.members['brq' + NET_VX[:11]].discard(tap(2))
    agent.process_once()
    assert bridges.removed == ['brq' + NET_FLAT[:11], 'brq' + NET_VX[:11]]


def test_unknown_tap_is_left_alone_until_its_port_is_updated(parts):
    bridges, server = parts
    agent = make_agent(parts)
    bridges.present.add(tap(1))     # plugged before the port is bound here
    agent.process_once()
    assert bridges.members == {} and server.reports == []
    agent.process_once()
    assert len(server.asked) == 1   # not asked again on every poll
    server.ports[port_id(1)] = (NET_VX, True)
    agent.port_updated(port_id(1))
    agent.process_once()
    assert bridges.bridge_of(tap(1)) == 'brq' + NET_VX[:11]
    assert server.reports == [([port_id(1)], [])]


def test_admin_down_port_leaves_the_bridge_and_is_reported_down(parts):
    bridges, server = parts
    agent = make_agent(parts)
    add_port(parts, 1, NET_VX)
    agent.process_once()
    server.ports[port_id(1)] = (NET_VX, False)
    agent.port_updated(port_id(1))
    agent.process_once()
    assert bridges.bridge_of(tap(1)) is None
    assert server.reports[-1] == ([], [port_id(1)])
    assert bridges.removed == ['brq' + NET_VX[:11]]


def test_port_moved_to_another_network_changes_bridge(parts):
    bridges, server = parts
    agent = make_agent(parts)
    add_port(parts, 1, NET_VX)
    agent.process_once()
    server.ports[port_id(1)] = (NET_FLAT, True)
    agent.port_updated(port_id(1))
    agent.process_once()
    assert bridges.bridge_of(tap(1)) == 'brq' + NET_FLAT[:11]
    assert 'brq' + NET_VX[:11] in bridges.removed


def test_restart_rewires_present_taps_reports_missing_ones_down_and_removes_empty_bridges(
        parts):
    bridges, server = parts
    add_port(parts, 1, NET_VX)                      # still plugged
    add_port(parts, 2, NET_VX, plugged=False)       # its tap went while the agent was away
    server.active = [port_id(1), port_id(2)]
    bridges.members = {'brq' + NET_VX[:11]: {tap(1), 'vxlan-301'},
                       'brq' + NET_FLAT[:11]: {'eth1'}}     # left without taps
    agent = make_agent(parts, started=False)
    agent.process_once()
    assert server.reports == [([port_id(1)], [port_id(2)])]
    assert bridges.bridge_of(tap(1)) == 'brq' + NET_VX[:11]
    assert bridges.removed == ['brq' + NET_FLAT[:11]]
    agent.process_once()
    assert len(server.reports) == 1                 # resync happens once


def test_rpc_failures_keep_the_work_for_the_next_round(parts):
    bridges, server = parts
    agent = make_agent(parts)
    add_port(parts, 1, NET_VX)
    server.fail = {'get_devices_details_list'}
    with pytest.raises(RuntimeError):
        agent.process_once()
    server.fail = {'update_device_list'}
    with pytest.raises(RuntimeError):
        agent.process_once()
    assert bridges.bridge_of(tap(1)) == 'brq' + NET_VX[:11]
    bridges.present.discard(tap(1))
    server.fail = set()
    agent.process_once()
    # the up report that failed is sent with the later down report: down wins
    assert server.reports == [([], [port_id(1)])]
    server.fail = {'get_ports_on_host'}
    restarted = make_agent(parts, started=False)
    with pytest.raises(RuntimeError):
        restarted.process_once()
    server.fail = set()
    server.active = [port_id(1)]
    restarted.process_once()
    assert server.reports[-1] == ([], [port_id(1)])


def test_run_retries_after_a_failure_and_stops(parts):
    bridges, server = parts
    agent = make_agent(parts)
    add_port(parts, 1, NET_VX)
    server.fail = {'update_device_list'}
    calls = []
    original = agent.process_once

    def process_once():
        calls.append(1)
        if len(calls) == 2:
            server.fail = set()
        if len(calls) == 3:
            agent.stop()
        return original()

    agent.loop.work = process_once
    agent.run()
    assert server.reports == [([port_id(1)], [])]


def test_state_reports_the_linux_bridge_agent_and_its_devices(parts):
    agent = make_agent(parts)
    add_port(parts, 1, NET_VX)
    agent.process_once()
    state = agent.state(start_flag=True)
    assert state['agent_type'] == const.AGENT_TYPE_LINUXBRIDGE
    assert state['binary'] == 'netmgr-linuxbridge-agent' and state['host'] == HOST
    assert state['topic'] == const.TOPIC_L2_AGENT and state['start_flag'] is True
    assert state['configurations'] == {'interface_mappings': {'physnet1': 'eth1'},
                                       'tunnel_types': ['vxlan'], 'devices': 1}


def test_interface_mappings_and_tunnel_options():
    assert lb_conf.parse_interface_mappings(['physnet1:eth1', ' physnet2 : eth2']) == {
        'physnet1': 'eth1', 'physnet2': 'eth2'}
    for bad in (['physnet1'], ['physnet1:eth1', 'physnet1:eth2'], ['p1:eth1', 'p2:eth1']):
        with pytest.raises(ValueError):
            lb_conf.parse_interface_mappings(bad)
    conf = nm_conf.new_conf(**{'VXLAN.local_ip': '192.0.2.1',
                               'VXLAN.remote_ips': ['192.0.2.3', '192.0.2.1', '192.0.2.2']})
    assert lb_conf.tunnel_settings(conf.VXLAN) == ('192.0.2.1', ['192.0.2.2', '192.0.2.3'])
    assert conf.AGENT.polling_interval == 2.0
    conf.set_override('enable_vxlan', False, group='VXLAN')
    assert lb_conf.tunnel_settings(conf.VXLAN) == (None, [])
    conf.set_override('enable_vxlan', True, group='VXLAN')
    conf.set_override('remote_ips', ['not-an-ip'], group='VXLAN')
    with pytest.raises(ValueError):
        lb_conf.tunnel_settings(conf.VXLAN)


def test_only_link_events_of_taps_wake_the_loop(parts):
    agent = make_agent(parts)
    agent.device_changed('vxlan-301')
    agent.device_changed('brq' + NET_VX[:11])
    assert not agent.loop.woken
    agent.device_changed(tap(1))
    assert agent.loop.woken


def test_tunnel_endpoints_announced_at_start_and_later_are_flooded_to(parts):
    bridges, server = parts
    bridges.static_remote_ips = ['192.0.2.9']
    server.tunnels.append({'ip_address': '192.0.2.2', 'host': 'compute-2'})
    agent = make_agent(parts)
    assert server.synced == [('192.0.2.1', 'vxlan', HOST)]
    assert bridges.flooded == [['192.0.2.2', '192.0.2.9']]
    agent.tunnel_added('192.0.2.3', 'vxlan', 'compute-3')
    agent.tunnel_added('192.0.2.4', 'gre', 'compute-4')         # not carried here
    assert agent.loop.woken
    agent.process_once()
    assert bridges.flooded[-1] == ['192.0.2.2', '192.0.2.3', '192.0.2.9']
    agent.process_once()                                         # nothing new: left alone
    assert len(bridges.flooded) == 2 and len(server.synced) == 1


def test_tunnel_sync_failure_is_retried_before_any_wiring(parts):
    bridges, server = parts
    server.fail.add('tunnel_sync')
    agent = make_agent(parts, started=False)
    add_port(parts, 1, NET_VX)
    with pytest.raises(RuntimeError):
        agent.process_once()
    assert bridges.members == {} and bridges.flooded == []
    server.fail.clear()
    server.tunnels.append({'ip_address': '192.0.2.2', 'host': 'compute-2'})
    agent.process_once()
    assert bridges.flooded == [['192.0.2.2']]
    assert bridges.bridge_of(tap(1)) == devnames.network_bridge_name(NET_VX)


def test_without_local_ip_no_tunnel_is_synced_or_learnt():
    bridges, server = FakeBridges(local_ip=None), FakeServer()
    agent = make_agent((bridges, server))
    agent.tunnel_added('192.0.2.3', 'vxlan', 'compute-3')
    agent.process_once()
    assert server.synced == [] and bridges.flooded == []


class FakeFirewall:
    groups_of = staticmethod(lb_firewall.IptablesFirewall.groups_of)

    def __init__(self):
        self.updates = []
        self.fail = False

    def update(self, ports, info):
        if self.fail:
            raise RuntimeError('iptables-restore failed')
        self.updates.append((sorted(ports), info))


def test_wired_taps_are_filtered_before_they_are_reported_up_and_again_on_group_changes(parts):
    bridges, server = parts
    wall = FakeFirewall()
    server.security_group_info = lambda context, groups: {'asked': list(groups)}
    agent = lb_agent.LinuxBridgeAgent(HOST, bridges, server, firewall=wall)
    agent.process_once()
    assert wall.updates == [([], {'security_groups': {}, 'sg_member_ips': {}})]
    add_port(parts, 1, NET_VX)
    server.ports[port_id(1)] = (NET_VX, True)
    original = server.get_devices_details_list

    def with_groups(*args):
        return [dict(d, security_groups=['g1']) for d in original(*args)]
    server.get_devices_details_list = with_groups
    wall.fail = True
    with pytest.raises(RuntimeError):
        agent.process_once()
    assert server.reports == []                 # not reported up while unfiltered
    wall.fail = False
    agent.process_once()
    assert wall.updates[-1] == ([tap(1)], {'asked': ['g1']})
    assert server.reports[-1] == ([port_id(1)], [])
    count = len(wall.updates)
    agent.process_once()                        # nothing changed: left alone
    assert len(wall.updates) == count
    agent.security_groups_changed(['g1'])
    agent.process_once()
    agent.port_updated(port_id(7))              # a port elsewhere may change membership
    agent.process_once()
    assert len(wall.updates) == count + 2
