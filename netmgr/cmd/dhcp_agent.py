"""``netmgr-dhcp-agent``: dnsmasq for the DHCP-enabled networks, on one (gateway) host."""

import sys

from netmgr.agent.dhcp import agent as dhcp_agent
from netmgr.agent.dhcp import notify_endpoint
from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import interface
from netmgr.agent.linux import ovs_lib
from netmgr.cmd import agent_service
from netmgr.cmd import startup
from netmgr import conf as nm_conf
from netmgr import constants as const
from netmgr.rpc import dhcp_plugin_api
from netmgr.rpc import transport as rpc_transport


def build(conf, transport):
    executor = agent_executor.Executor(conf.AGENT.root_helper)
    ovsdb = ovs_lib.OVSDB(conf.OVS.ovsdb_connection, executor=executor,
                          ovs_rundir=conf.OVS.ovs_rundir)
    driver = interface.OVSInterfaceDriver(executor, ovsdb, conf.OVS.integration_bridge,
                                          conf.OVS.datapath_type)
    plugin_rpc = dhcp_plugin_api.DhcpPluginApi(transport, conf.host,
                                               timeout=conf.DHCP.rpc_timeout)
    return dhcp_agent.DhcpAgent(
        conf.host, plugin_rpc, driver, executor, conf.state_path,
        dnsmasq_options={'binary': conf.DHCP.dnsmasq_binary,
                         'lease_duration': conf.dhcp_lease_duration,
                         'domain': conf.DHCP.dhcp_domain,
                         'dns_servers': conf.DHCP.dnsmasq_dns_servers,
                         'log_dir': conf.DHCP.dnsmasq_log_dir,
                         'user': conf.DHCP.dnsmasq_user},
        resync_interval=conf.DHCP.resync_interval,
        process_check_interval=conf.DHCP.process_check_interval)


def main(argv=None):
    conf = startup.load_config(nm_conf.cfg.ConfigOpts(), argv)
    transport = rpc_transport.get_transport(conf)
    agent = build(conf, transport)
    # dnsmasq keeps serving while the agent is down; a restart adopts it.
    return agent_service.run(conf, agent, transport, const.TOPIC_DHCP_AGENT,
                             notify_endpoint.DhcpNotifyEndpoint(agent),
                             'DHCP agent on %s' % conf.OVS.integration_bridge)


if __name__ == '__main__':
    sys.exit(main())
