"""Two simulated hosts, each a network namespace running its own netmgr-linuxbridge-agent
(an AgentProcess with ``namespace``), joined by an underlay veth pair (VXLAN tunnel IPs) and a
second veth pair that is physnet1's interface on both. Neither host lists the other's tunnel
IP: the agents learn them from the server (tunnel_sync, tunnel_update). Instances are
namespaces whose veth's host end is ``tap<port-id[:11]>`` in the host namespace, as the Linux
bridge VIF driver makes it.

A host namespace has its own loopback, so each one gets a relay from its 127.0.0.1:5672 to
RabbitMQ on the machine's 127.0.0.1 (tests/fixtures/rabbit.py)."""

import pathlib
import sys
import threading

import pytest

from netmgr.agent.linux import bridge_lib
from netmgr.agent.linux import ip_lib
from tests.fixtures.agents import AgentProcess, port_status, wait_for
from tests.fixtures import rabbit
from tests.functional.rest_helpers import _net

pytestmark = pytest.mark.functional

LB_BIN = pathlib.Path(sys.executable).with_name('netmgr-linuxbridge-agent')


@pytest.fixture(scope='module')
def server(module_server_factory, rpc_options):
    return module_server_factory(
        'lb-agents', api_workers=1, **rpc_options,
        sections={'l2': {'mechanism_driver': 'linuxbridge', 'tenant_network_types': 'vxlan',
                         'vni_ranges': '300:399', 'flat_networks': 'physnet1'}})


class Host:
    def __init__(self, name, namespace, agent, physical):
        self.name, self.namespace, self.agent = name, namespace, agent
        self.physical = physical        # physnet1's interface

    def bridge(self, network_id):
        return bridge_lib.LinuxBridge('brq' + network_id[:11], self.namespace)


@pytest.fixture
def hosts(netlab, agent_factory, rpc_options, server):
    namespaces = [netlab.namespace(), netlab.namespace()]
    underlay, physical = netlab.name('u'), netlab.name('p')
    for name in (underlay, physical):
        ends = ip_lib.add_veth(name + 'a', name + 'b', namespace=namespaces[0],
                               peer_namespace=namespaces[1])
        for end in ends:
            end.set_up()
    tunnel_ips = ['192.0.2.1', '192.0.2.2']
    ip_lib.IPDevice(underlay + 'a', namespaces[0]).add_address('192.0.2.1/24')
    ip_lib.IPDevice(underlay + 'b', namespaces[1]).add_address('192.0.2.2/24')
    relays = [rabbit.RabbitRelay(ns) for ns in namespaces]
    try:
        yield _start_agents(netlab, agent_factory, rpc_options, server, namespaces, tunnel_ips,
                            (physical + 'a', physical + 'b'))
    finally:
        agent_factory.stop_all()
        for relay in relays:
            relay.close()


def _start_agents(netlab, agent_factory, rpc_options, server, namespaces, tunnel_ips,
                  physicals):
    made = []
    # taps are found through link events, with the default 2 s rescan as the safety net
    for number, (ns, local, phys) in enumerate(zip(namespaces, tunnel_ips, physicals)):
        name = '%s-lb%d' % (netlab.prefix, number + 1)
        agent = agent_factory.add(AgentProcess(
            agent_factory.base_dir / name, name, rpc_options,
            {'LINUX_BRIDGE': {'physical_interface_mappings': 'physnet1:%s' % phys},
             'VXLAN': {'local_ip': local},
             'AGENT': {'report_interval': 1.0, 'polling_interval': 2}},
            binary=LB_BIN, namespace=ns))
        made.append(Host(name, ns, agent, phys))
    for host in made:
        wait_for(lambda h=host: server.client().list('agents', {'host': h.name}),
                 message='agent report of %s' % host.name)
    return made


def boot(netlab, api, host, network, ip=None, **attrs):
    """A port bound to ``host`` and an instance namespace whose veth's host end is the tap."""
    attrs['binding:host_id'] = host.name
    if ip:
        attrs['fixed_ips'] = [{'ip_address': ip}]
    port = api.create('port', network_id=network['id'], **attrs)
    assert port['binding:vif_type'] == 'bridge', port
    ns = netlab.namespace()
    tap, inner = ip_lib.add_veth('tap' + port['id'][:11], 'eth0', namespace=host.namespace,
                                 peer_namespace=ns)
    inner.set_address(port['mac_address'])
    inner.add_address(port['fixed_ips'][0]['ip_address'] + '/24')
    inner.set_up()
    tap.set_up()
    return port, ns


def _ip(port):
    return port['fixed_ips'][0]['ip_address']


def _active(api, *ports):
    for port in ports:
        wait_for(lambda p=port: port_status(api, p['id']) == 'ACTIVE',
                 message='%s ACTIVE' % port['id'])


def test_vxlan_and_flat_networks_cross_hosts_other_networks_do_not(netlab, server, hosts):
    h1, h2 = hosts
    admin = server.client()
    net_a, _ = _net(admin, cidr='10.72.0.0/24')
    net_b, _ = _net(admin, cidr='10.72.0.0/24')
    flat, _ = _net(admin, cidr='10.73.0.0/24', **{'provider:network_type': 'flat',
                                                  'provider:physical_network': 'physnet1'})
    pa1, nsa1 = boot(netlab, admin, h1, net_a, '10.72.0.11')
    pa2, nsa2 = boot(netlab, admin, h2, net_a, '10.72.0.12')
    pb2, nsb2 = boot(netlab, admin, h2, net_b, '10.72.0.13')
    pf1, nsf1 = boot(netlab, admin, h1, flat)
    pf2, nsf2 = boot(netlab, admin, h2, flat)
    _active(admin, pa1, pa2, pb2, pf1, pf2)
    assert netlab.ping_within(nsa1, _ip(pa2))
    assert netlab.ping_within(nsa2, _ip(pa1))       # each side floods to the other
    assert netlab.ping_within(nsf1, _ip(pf2))
    assert not netlab.ping(nsa1, _ip(pb2))           # same CIDR, other vxlan network
    assert not netlab.ping(nsb2, _ip(pa1))
    assert not netlab.ping(nsf1, _ip(pa2))
    vni = admin.show('network', net_a['id'])['provider:segmentation_id']
    assert 'vxlan-%d' % vni in h1.bridge(net_a['id']).interfaces()
    assert bridge_lib.flood_entries('vxlan-%d' % vni, h1.namespace) == ['192.0.2.2']
    assert bridge_lib.flood_entries('vxlan-%d' % vni, h2.namespace) == ['192.0.2.1']
    assert h1.physical in h1.bridge(flat['id']).interfaces()

    # the last port of a network on a host goes: its bridge and vxlan device go too
    ip_lib.IPDevice('tap' + pa1['id'][:11], h1.namespace).delete()
    assert admin.delete('/v2.0/ports/%s' % pa1['id']).status == 204
    # the bridge goes first, then its vxlan device
    wait_for(lambda: not h1.bridge(net_a['id']).exists() and
             not ip_lib.device_exists('vxlan-%d' % vni, h1.namespace),
             message='bridge and vxlan device removed')
    assert h2.bridge(net_a['id']).exists()          # still used by pa2 there


def test_restarted_agent_keeps_traffic_and_converges(netlab, server, hosts):
    h1, h2 = hosts
    admin = server.client()
    net, _ = _net(admin, cidr='10.74.0.0/24')
    p1, ns1 = boot(netlab, admin, h1, net)
    p2, ns2 = boot(netlab, admin, h2, net)
    gone, _ = boot(netlab, admin, h1, net)
    _active(admin, p1, p2, gone)
    assert netlab.ping_within(ns1, _ip(p2))

    lost, stop = [], threading.Event()

    def keep_pinging():
        while not stop.is_set():
            if not netlab.ping(ns1, _ip(p2)):
                lost.append(1)

    pinger = threading.Thread(target=keep_pinging)
    pinger.start()
    try:
        assert h1.agent.stop() == 0
        ip_lib.IPDevice('tap' + gone['id'][:11], h1.namespace).delete()   # while it is away
        new, ns_new = boot(netlab, admin, h1, net)
        assert port_status(admin, new['id']) == 'DOWN'
        h1.agent.start()
        wait_for(lambda: port_status(admin, new['id']) == 'ACTIVE', message='new port ACTIVE')
        wait_for(lambda: port_status(admin, gone['id']) == 'DOWN', message='gone port DOWN')
        assert netlab.ping_within(ns_new, _ip(p2))
    finally:
        stop.set()
        pinger.join()
    assert port_status(admin, p1['id']) == 'ACTIVE'
    assert not lost, 'traffic stopped while the agent restarted'


def _created(resp, key):
    assert resp.status == 201, resp
    return resp.json[key]


def test_security_groups_filter_bridged_traffic(netlab, server, hosts):
    """The agents filter by security group (iptables on the bridged traffic of each tap):
    the default group lets its members in, a group without ingress rules lets nobody in,
    rules and membership changes apply at once, and a port may only send from its own
    addresses; a port without port security is not filtered."""
    h1, h2 = hosts
    admin = server.client()
    net, _ = _net(admin, cidr='10.74.0.0/24')
    closed = _created(admin.post('/v2.0/security-groups', {
        'security_group': {'name': 'closed'}}), 'security_group')
    [default] = admin.get('/v2.0/security-groups', query={
        'name': 'default', 'tenant_id': 'admin'}).json['security_groups']
    pa, nsa = boot(netlab, admin, h1, net, '10.74.0.11')                 # default group
    pb, nsb = boot(netlab, admin, h2, net, '10.74.0.12', security_groups=[closed['id']])
    pc, nsc = boot(netlab, admin, h2, net, '10.74.0.13')                 # default group
    pd, nsd = boot(netlab, admin, h1, net, '10.74.0.14', security_groups=[],
                   port_security_enabled=False)
    _active(admin, pa, pb, pc, pd)
    assert netlab.ping_within(nsa, _ip(pc))         # members of one group, across hosts
    assert netlab.ping_within(nsc, _ip(pa))
    assert not netlab.ping(nsa, _ip(pb))            # nothing may come in to 'closed'
    assert not netlab.ping(nsb, _ip(pa))            # b is no member of a's group

    rule = _created(admin.post('/v2.0/security-group-rules', {'security_group_rule': {
        'security_group_id': closed['id'], 'direction': 'ingress', 'protocol': 'icmp',
        'remote_ip_prefix': '10.74.0.0/24'}}), 'security_group_rule')
    wait_for(lambda: netlab.ping(nsa, _ip(pb)), message='ICMP let in by the new rule')
    assert admin.delete('/v2.0/security-group-rules/%s' % rule['id']).status == 204
    wait_for(lambda: not netlab.ping(nsa, _ip(pb)), message='the rule removed again')

    # b joins the default group: a (on the other host) lets it in as a member
    assert admin.put('/v2.0/ports/%s' % pb['id'], {'port': {
        'security_groups': [closed['id'], default['id']]}}).status == 200
    wait_for(lambda: netlab.ping(nsb, _ip(pa)), message='new member let in')

    # d has no port security: anyone reaches it, but c may only send from its own address
    assert netlab.ping_within(nsc, _ip(pd))
    inner = [d for d in ip_lib.list_devices(nsc) if d != 'lo'][0]
    device = ip_lib.IPDevice(inner, nsc)
    device.flush_addresses(family=4)
    device.add_address('10.74.0.60/24')
    assert not netlab.ping(nsc, _ip(pd))            # spoofed source: dropped on c's tap
