"""``netmgr-ovs-agent``: the Open vSwitch L2 agent of one host."""

import logging
import sys

from netmgr.agent.l2 import notify_endpoint
from netmgr.agent.l2.ovs import agent as ovs_agent
from netmgr.agent.l2.ovs import bridges as ovs_bridges
from netmgr.agent.l2.ovs import tunnels
from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import ovs_lib
from netmgr.agent.linux import ovsdb_monitor
from netmgr.cmd import agent_service
from netmgr.cmd import startup
from netmgr import conf as nm_conf
from netmgr.conf import ovs_agent as ovs_conf
from netmgr import constants as const
from netmgr.rpc import plugin_api
from netmgr.rpc import transport as rpc_transport

LOG = logging.getLogger('netmgr.ovs_agent')


def build(conf):
    mappings = ovs_conf.parse_bridge_mappings(conf.OVS.bridge_mappings)
    tunnel = ovs_conf.tunnel_settings(conf)
    executor = agent_executor.Executor(conf.AGENT.root_helper)
    ovsdb = ovs_lib.OVSDB(conf.OVS.ovsdb_connection, executor=executor,
                          ovs_rundir=conf.OVS.ovs_rundir)
    int_br, links = ovs_bridges.setup_bridges(ovsdb, conf.OVS.integration_bridge, mappings,
                                              conf.OVS.datapath_type)
    overlay = None
    if tunnel is not None:
        overlay = tunnels.Overlay(tunnel, *ovs_bridges.setup_tunnel_bridge(
            ovsdb, int_br, tunnel, conf.OVS.datapath_type))
    transport = rpc_transport.get_transport(conf)
    agent = ovs_agent.OVSAgent(
        conf.host, int_br, links, plugin_api.PluginApi(transport, timeout=conf.OVS.rpc_timeout),
        batch_window=conf.OVS.batch_window, canary_interval=conf.OVS.canary_interval,
        ovs_config={'bridge_mappings': mappings,
                    'integration_bridge': conf.OVS.integration_bridge,
                    'datapath_type': conf.OVS.datapath_type,
                    'tunnel_types': list(tunnel.tunnel_types) if tunnel else [],
                    'tunneling_ip': tunnel.local_ip if tunnel else None,
                    'tunnel_bridge': tunnel.bridge if tunnel else None,
                    'l2_population': conf.AGENT.l2_population},
        overlay=overlay)
    return agent, transport


def main(argv=None):
    conf = startup.load_config(nm_conf.cfg.ConfigOpts(), argv)
    try:
        agent, transport = build(conf)
    except ValueError as exc:      # a bad bridge mapping or tunnel setting: one clear line
        LOG.error('%s', exc)
        return 2
    monitor = ovsdb_monitor.InterfaceMonitor(agent.interface_changed,
                                             connection=conf.OVS.ovsdb_connection)
    monitor.start()
    agent.start_sync()
    return agent_service.run(conf, agent, transport, const.TOPIC_L2_AGENT,
                             notify_endpoint.L2NotifyEndpoint(agent),
                             'OVS agent on %s' % agent.int_br.name, on_stop=[monitor.stop],
                             on_revived=agent.rpc_revived, report_timeout=conf.OVS.rpc_timeout)


if __name__ == '__main__':
    sys.exit(main())
