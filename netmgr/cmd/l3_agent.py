"""``netmgr-l3-agent``: the routers (qrouter- namespaces, NAT, floating IPs) of one host."""

import sys

from netmgr.agent.l3 import agent as l3_agent
from netmgr.agent.l3 import notify_endpoint
from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import interface
from netmgr.agent.linux import ovs_lib
from netmgr.cmd import agent_service
from netmgr.cmd import startup
from netmgr import conf as nm_conf
from netmgr import constants as const
from netmgr.rpc import l3_plugin_api
from netmgr.rpc import transport as rpc_transport


def build(conf):
    executor = agent_executor.Executor(conf.AGENT.root_helper)
    ovsdb = ovs_lib.OVSDB(conf.OVS.ovsdb_connection, executor=executor,
                          ovs_rundir=conf.OVS.ovs_rundir)
    ovsdb.add_bridge(conf.OVS.integration_bridge, datapath_type=conf.OVS.datapath_type)
    driver = interface.OVSInterfaceDriver(executor, ovsdb, conf.OVS.integration_bridge,
                                          conf.OVS.datapath_type)
    transport = rpc_transport.get_transport(conf)
    l3 = conf.L3
    agent = l3_agent.L3Agent(
        conf.host, l3_plugin_api.L3PluginApi(transport, timeout=l3.rpc_timeout), driver,
        executor, external_bridge=l3.external_network_bridge, arp_count=l3.send_arp_count,
        periodic_interval=l3.periodic_interval, resync_interval=l3.resync_interval)
    return agent, transport


def main(argv=None):
    conf = startup.load_config(nm_conf.cfg.ConfigOpts(), argv)
    agent, transport = build(conf)
    return agent_service.run(conf, agent, transport, const.TOPIC_L3_AGENT,
                             notify_endpoint.L3NotifyEndpoint(agent), 'L3 agent')


if __name__ == '__main__':
    sys.exit(main())
