"""L3 agent benchmark: floating IP create+associate -> first answered ping from outside, and
router create (+gateway +interface) -> first ping through it.

    python -m tests.benchmarks.bench_l3

Not a test: it measures and prints. It starts a netmgr-server (SQLite, agent RPC over the
local RabbitMQ in a virtual host of its own, vlan tenant networks on physnet1), a
netmgr-ovs-agent and a netmgr-l3-agent for one simulated host on prefixed userspace bridges
(tests.fixtures.netlab), a flat external network on physnet1 with an "outside" namespace on
the physical bridge, and one instance namespace on a tenant network. Pings are sent every
20 ms until the first reply; the pinging namespaces retry ARP every 20 ms too (Linux waits a
second between ARP tries by default, which would hide the agent's time). Everything made is
removed at the end; processes are stopped by PID.
"""

import statistics
import sys
import time

from netmgr.agent.linux import ip_lib
from tests.benchmarks import lab as bench_lab
from tests.fixtures import agents

ROUNDS = 5
EXT_CIDR, EXT_GATEWAY = '172.24.19.0/24', '172.24.19.1'


def first_ping(lab, namespace, address, deadline=20):
    """Seconds until ``address`` answers a ping sent every 20 ms from ``namespace``."""
    start = time.monotonic()
    lab.executor.execute(['ping', '-n', '-q', '-c', '1', '-i', '0.02', '-w', deadline,
                          address], namespace=namespace)
    return time.monotonic() - start


def fast_arp(lab, namespace, device):
    lab.executor.execute(['sysctl', '-w', 'net.ipv4.neigh.%s.retrans_time_ms=20' % device,
                          'net.ipv4.neigh.%s.mcast_solicit=100' % device], namespace=namespace)


def flush_neighbours(lab, namespace):
    lab.executor.execute(['ip', 'neigh', 'flush', 'all'], namespace=namespace)


def summary(values):
    return 'median %.3f s, min %.3f s, max %.3f s (%d rounds)' % (
        statistics.median(values), min(values), max(values), len(values))


def setup(lab, api, host, int_br, phys_br):
    ext = api.create('network', name='ext', **{
        'provider:network_type': 'flat', 'provider:physical_network': 'physnet1',
        'router:external': True})
    api.create('subnet', network_id=ext['id'], cidr=EXT_CIDR, ip_version=4,
               gateway_ip=EXT_GATEWAY)
    outside = lab.namespace()
    veth = lab.veth_into(outside, phys_br, address=EXT_GATEWAY + '/24')
    fast_arp(lab, outside, veth.inner)
    net = api.create('network', name='bench')
    subnet = api.create('subnet', network_id=net['id'], cidr='10.0.0.0/24', ip_version=4)
    port = api.create('port', network_id=net['id'], **{'binding:host_id': host})
    vm = lab.namespace()
    veth = lab.veth_into(vm, int_br, address=port['fixed_ips'][0]['ip_address'] + '/24',
                         external_ids={'iface-id': port['id'],
                                       'attached-mac': port['mac_address'],
                                       'vm-uuid': vm, 'iface-status': 'active'})
    lab.executor.execute(['ip', 'link', 'set', veth.inner, 'address', port['mac_address']],
                         namespace=vm)
    fast_arp(lab, vm, veth.inner)
    ip_lib.set_default_route(subnet['gateway_ip'], namespace=vm)
    agents.wait_for(lambda: api.show('port', port['id'])['status'] == 'ACTIVE', timeout=30,
                    message='instance port ACTIVE')
    return ext, subnet, port, vm, outside


def router_round(lab, api, ext, subnet, vm, outside):
    for namespace in (vm, outside):
        flush_neighbours(lab, namespace)
    start = time.monotonic()
    router = api.create('router', name='bench',
                        external_gateway_info={'network_id': ext['id']})
    resp = api.put('/v2.0/routers/%s/add_router_interface' % router['id'],
                   {'subnet_id': subnet['id']})
    assert resp.status == 200, resp
    created = time.monotonic() - start
    seconds = first_ping(lab, vm, EXT_GATEWAY) + created
    return router, seconds


def remove_router(api, router, subnet):
    api.put('/v2.0/routers/%s/remove_router_interface' % router['id'],
            {'subnet_id': subnet['id']})
    api.remove('router', router['id'])
    agents.wait_for(lambda: not ip_lib.namespace_exists('qrouter-' + router['id']),
                    timeout=30, message='router namespace removed')


def _router_addresses(namespace):
    return [a for device in ip_lib.list_devices(namespace) if device.startswith('qg-')
            for a in ip_lib.IPDevice(device, namespace).list_addresses(4)]


def fip_round(lab, api, ext, port, outside, router):
    flush_neighbours(lab, outside)
    start = time.monotonic()
    fip = api.create('floatingip', floating_network_id=ext['id'], port_id=port['id'])
    created = time.monotonic() - start
    seconds = first_ping(lab, outside, fip['floating_ip_address']) + created
    api.remove('floatingip', fip['id'])
    # The next round may get the same address: wait until this one is gone from the router.
    cidr = fip['floating_ip_address'] + '/32'
    agents.wait_for(lambda: cidr not in _router_addresses('qrouter-' + router['id']),
                    timeout=30, message='floating IP removed')
    return seconds


def main():
    routers = []
    try:
        with bench_lab.agent_stack('l3', l3=True) as stack:
            run(stack, routers)
    finally:
        for router_id in routers:      # what the L3 agent did not get to remove
            ip_lib.delete_namespace('qrouter-' + router_id, if_exists=True)


def run(stack, routers):
    lab, api = stack.lab, stack.api
    ext, subnet, port, vm, outside = setup(lab, api, stack.host, stack.int_br, stack.phys_br)
    router_times = []
    for _ in range(ROUNDS):
        router, seconds = router_round(lab, api, ext, subnet, vm, outside)
        routers.append(router['id'])
        router_times.append(seconds)
        remove_router(api, router, subnet)
    print('router create (+gateway +interface) -> first ping through it '
          '(Neutron ~5 s): %s' % summary(router_times))
    sys.stdout.flush()

    router, _seconds = router_round(lab, api, ext, subnet, vm, outside)
    routers.append(router['id'])
    fip_times = [fip_round(lab, api, ext, port, outside, router) for _ in range(ROUNDS)]
    print('floating IP create+associate -> first answered ping from outside '
          '(Neutron ~0.8 s): %s' % summary(fip_times))
    remove_router(api, router, subnet)


if __name__ == '__main__':
    main()
