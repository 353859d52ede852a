"""OVS agent benchmark: time from plug to ACTIVE for 1, 50 and 200 ports plugged at once.

    python -m tests.benchmarks.bench_ovs_agent

Not a test: it measures and prints. It starts a netmgr-server (SQLite, agent RPC over the
local RabbitMQ on a virtual host of its own, vlan tenant networks) and one netmgr-ovs-agent on
prefixed userspace bridges (tests.fixtures.netlab), creates the ports through the REST API
bound to the agent's host, then plugs them in ONE OVSDB transaction (internal OVS ports
carrying external_ids iface-id/attached-mac, like a VIF driver would) and polls the API until
every one is ACTIVE. Everything made is removed at the end; processes are stopped by PID.
"""

import sys
import time

from tests.benchmarks import lab as bench_lab
from tests.fixtures import agents

SIZES = (1, 50, 200)


def _all_active(api, ids):
    ports = api.list('ports', {'device_owner': 'bench', 'status': 'ACTIVE', 'fields': 'id'})
    return {p['id'] for p in ports} >= set(ids)


def run_round(lab, api, host, int_br, network, count, round_no):
    ids, ports = [], []
    for i in range(count):
        port = api.create('port', network_id=network['id'], device_owner='bench',
                          **{'binding:host_id': host})
        ports.append(port)
        ids.append(port['id'])
    start = time.monotonic()
    with lab.ovsdb.transaction() as txn:
        for i, port in enumerate(ports):
            int_br.add_port('%sr%dp%d' % (lab.prefix, round_no, i), port_type='internal',
                            external_ids={'iface-id': port['id'],
                                          'attached-mac': port['mac_address'],
                                          'vm-uuid': 'bench'}, txn=txn)
    agents.wait_for(lambda: _all_active(api, ids), timeout=120, interval=0.02,
                    message='%d ports ACTIVE' % count)
    return time.monotonic() - start


def main():
    with bench_lab.agent_stack('ovs') as stack:
        network = stack.api.create('network', name='bench')
        print('plug -> ACTIVE (reference Neutron: 1 port 1.2 s, 50 ports 7 s)')
        for round_no, count in enumerate(SIZES):
            seconds = run_round(stack.lab, stack.api, stack.host, stack.int_br, network,
                                count, round_no)
            print('%4d port(s): %.3f s' % (count, seconds))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
