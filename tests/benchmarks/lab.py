"""What the agent benchmarks share: a netmgr-server (SQLite, vlan tenant networks on
physnet1) with agent RPC on a RabbitMQ virtual host of the run's own, and one simulated host
on prefixed userspace bridges (tests.fixtures.netlab) running the OVS agent and, when asked,
the DHCP and L3 agents. At the end the agents and the server are stopped by PID, the dnsmasq
processes the DHCP agent leaves serving are ended with their namespaces, and the lab is
removed."""

import contextlib
import dataclasses
import pathlib
import sys
import tempfile

from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import ip_lib
from netmgr.agent.linux import process
from netmgr import devnames
from tests.fixtures import agents
from tests.fixtures import netlab as netlab_fixture
from tests.fixtures import rabbit
from tests.fixtures import server as server_fixture

BIN = pathlib.Path(sys.executable).parent


@dataclasses.dataclass
class Stack:
    tmp: pathlib.Path
    lab: object
    server: object
    api: object
    host: str
    int_br: object
    phys_br: object
    options: dict           # the RPC options of the run's virtual host
    dhcp_state: pathlib.Path


def _agent_sections(int_br, **more):
    return dict({'OVS': {'integration_bridge': int_br.name, 'datapath_type': 'netdev'},
                 'AGENT': {'report_interval': 1.0}}, **more)


@contextlib.contextmanager
def agent_stack(name, dhcp=False, l3=False):
    """A Stack with the OVS agent, plus the DHCP and L3 agents if asked, all reporting."""
    with rabbit.private_vhost('netmgr-bench-%s-' % name) as vhost, \
            tempfile.TemporaryDirectory() as tmp, netlab_fixture.open_lab() as lab:
        tmp, options = pathlib.Path(tmp), rabbit.options_for(vhost)
        server = server_fixture.start_server(
            tmp / 'server', api_workers=1, debug=False, **options,
            sections={'l2': {'tenant_network_types': 'vlan',
                             'network_vlan_ranges': 'physnet1:100:199'}})
        started, dhcp_state = [], tmp / 'dhcp-state'
        try:
            int_br, phys_br = lab.bridge(), lab.bridge()
            host = lab.prefix + '-bench'
            started.append(agents.AgentProcess.ovs(tmp / 'ovs', host, int_br.name,
                                                   {'physnet1': phys_br.name},
                                                   options).start())
            if dhcp:
                started.append(agents.AgentProcess(
                    tmp / 'dhcp', host, options,
                    _agent_sections(int_br, DHCP={'dnsmasq_user': 'root'}),
                    binary=BIN / 'netmgr-dhcp-agent',
                    options={'state_path': str(dhcp_state)}).start())
            if l3:
                started.append(agents.AgentProcess(
                    tmp / 'l3', host, options, _agent_sections(int_br, L3={'send_arp_count': 0}),
                    binary=BIN / 'netmgr-l3-agent').start())
            api = server.client()
            agents.wait_for(lambda: len(api.list('agents', {'host': host})) == len(started),
                            timeout=30, message='agent reports')
            yield Stack(tmp, lab, server, api, host, int_br, phys_br, options, dhcp_state)
        finally:
            for agent in reversed(started):
                agent.stop()
            stop_dnsmasq(dhcp_state)
            server.stop()


def stop_dnsmasq(state_path):
    """End the dnsmasq processes a stopped DHCP agent left serving (by their pid files) and
    remove their qdhcp- namespaces."""
    dhcp_dir = pathlib.Path(state_path) / 'dhcp'
    for network_id in (sorted(p.name for p in dhcp_dir.iterdir()) if dhcp_dir.is_dir()
                       else ()):
        process.ProcessManager(agent_executor.Executor(), network_id,
                               str(dhcp_dir / network_id / 'pid')).stop()
        ip_lib.delete_namespace(devnames.dhcp_namespace(network_id), if_exists=True)
