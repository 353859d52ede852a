"""Two simulated hosts, each with its own br-int, physical bridge and agent process; the
physical bridges are joined by a patch pair (the "switch"). Same network pings across hosts on
vlan and flat networks; other networks and tenants do not. A kill -9'd agent restarted after
ports changed converges while existing instances keep pinging."""

import threading

import pytest

from tests.fixtures.agents import boot, port_status as _status, simulated_host, wait_for
from tests.functional.rest_helpers import _net

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


@pytest.fixture
def hosts(netlab, agent_factory, rpc_options, server):
    """Two hosts whose physical bridges are joined by a prefixed patch pair (the switch)."""
    (host1, phys1), (host2, phys2) = [
        simulated_host(netlab, agent_factory, rpc_options, server, number)
        for number in (1, 2)]
    a, b = netlab.prefix + 'sw1', netlab.prefix + 'sw2'
    phys1.add_patch_port(a, b)
    phys2.add_patch_port(b, a)
    return [host1, host2]


def _active(api, *ports):
    for port in ports:
        wait_for(lambda p=port: _status(api, p['id']) == 'ACTIVE', message='ACTIVE')


def test_same_network_pings_across_hosts_other_networks_and_tenants_do_not(
        netlab, server, hosts):
    h1, h2 = hosts
    admin = server.client()
    vlan_a, _ = _net(admin.as_tenant('t-one'), cidr='10.62.0.0/24')
    vlan_b, _ = _net(admin.as_tenant('t-two'), cidr='10.62.0.0/24')
    flat, _ = _net(admin, cidr='10.62.0.0/24', **{'provider:network_type': 'flat',
                                                  'provider:physical_network': 'physnet1'})
    pa1, nsa1 = boot(netlab, admin, h1, vlan_a, '10.62.0.11')
    pa2, nsa2 = boot(netlab, admin, h2, vlan_a, '10.62.0.12')
    pb2, nsb2 = boot(netlab, admin, h2, vlan_b, '10.62.0.13')
    pf1, nsf1 = boot(netlab, admin, h1, flat, '10.62.0.21')
    pf2, nsf2 = boot(netlab, admin, h2, flat, '10.62.0.22')
    _active(admin, pa1, pa2, pb2, pf1, pf2)
    assert netlab.ping_within(nsa1, '10.62.0.12')
    assert netlab.ping_within(nsf1, '10.62.0.22')
    assert not netlab.ping(nsa1, '10.62.0.13')      # other tenant's vlan network
    assert not netlab.ping(nsa1, '10.62.0.22')      # the flat network
    assert not netlab.ping(nsf1, '10.62.0.12')


def test_killed_agent_converges_after_restart_and_traffic_keeps_flowing(
        netlab, server, hosts):
    h1, h2 = hosts
    admin = server.client()
    net, _ = _net(admin, cidr='10.63.0.0/24')
    p1, ns1 = boot(netlab, admin, h1, net, '10.63.0.11')
    p2, ns2 = boot(netlab, admin, h2, net, '10.63.0.12')
    gone, ns_gone = boot(netlab, admin, h2, net, '10.63.0.13')
    _active(admin, p1, p2, gone)
    assert netlab.ping_within(ns1, '10.63.0.12')

    lost, stop = [], threading.Event()

    def keep_pinging():
        while not stop.is_set():
            if not netlab.ping(ns1, '10.63.0.12'):
                lost.append(1)

    pinger = threading.Thread(target=keep_pinging)
    pinger.start()
    try:
        agent2 = h2[2]
        agent2.kill()                               # kill -9
        int_br = h2[1]
        vif = [v for v in int_br.vif_ports() if v.iface_id == gone['id']][0]
        int_br.delete_port(vif.port_name)           # instance deleted while the agent is down
        new, ns_new = boot(netlab, admin, h2, net, '10.63.0.14')
        assert _status(admin, new['id']) == 'DOWN'
        agent2.start()
        wait_for(lambda: _status(admin, new['id']) == 'ACTIVE', message='new port ACTIVE')
        wait_for(lambda: _status(admin, gone['id']) == 'DOWN', message='gone port DOWN')
        assert netlab.ping_within(ns_new, '10.63.0.11')
    finally:
        stop.set()
        pinger.join()
    assert _status(admin, p2['id']) == 'ACTIVE'
    assert len(lost) <= 1, 'existing instances lost connectivity during the restart'
