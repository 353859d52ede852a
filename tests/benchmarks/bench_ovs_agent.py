"""OVS agent benchmark: time from plug to ACTIVE for 1, 50 and 200 ports plugged at once.

    python -m tests.benchmarks.bench_ovs_agent

Not a test: it measures and prints. It starts a netmgr-server (SQLite, agent RPC over the
local RabbitMQ on a virtual host of its own, vlan tenant networks) and one netmgr-ovs-agent on
prefixed userspace bridges (tests.fixtures.netlab), creates the ports through the REST API
bound to the agent's host, then plugs them in ONE OVSDB transaction (internal OVS ports
carrying external_ids iface-id/attached-mac, like a VIF driver would) and polls the API until
every one is ACTIVE. Everything made is removed at the end; processes are stopped by PID.
"""

import os
import sys
import tempfile
import time

from tests.fixtures import agents
from tests.fixtures import netlab as netlab_fixture
from tests.fixtures import rabbit
from tests.fixtures import server as server_fixture

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
    with rabbit.private_vhost('netmgr-bench-ovs-') as vhost:
        run(rabbit.options_for(vhost))


def run(options):
    with tempfile.TemporaryDirectory() as tmp, netlab_fixture.open_lab() as lab:
        server = server_fixture.start_server(
            os.path.join(tmp, 'server'), api_workers=1, debug=False, **options,
            sections={'l2': {'tenant_network_types': 'vlan',
                             'network_vlan_ranges': 'physnet1:100:199'}})
        agent = None
        try:
            int_br, phys_br = lab.bridge(), lab.bridge()
            host = lab.prefix + '-bench'
            agent = agents.AgentProcess.ovs(os.path.join(tmp, 'agent'), host, int_br.name,
                                            {'physnet1': phys_br.name}, options).start()
            api = server.client()
            agents.wait_for(lambda: api.list('agents', {'host': host}), timeout=30,
                            message='agent report')
            network = api.create('network', name='bench')
            print('plug -> ACTIVE (reference Neutron: 1 port 1.2 s, 50 ports 7 s)')
            for round_no, count in enumerate(SIZES):
                seconds = run_round(lab, api, host, int_br, network, count, round_no)
                print('%4d port(s): %.3f s' % (count, seconds))
                sys.stdout.flush()
        finally:
            if agent is not None:
                agent.stop()
            server.stop()


if __name__ == '__main__':
    main()
