"""``netmgr-linuxbridge-agent``: the Linux bridge L2 agent of one host."""

import logging
import sys

from netmgr.agent.l2 import notify_endpoint
from netmgr.agent.l2.linuxbridge import agent as lb_agent
from netmgr.agent.l2.linuxbridge import bridges as lb_bridges
from netmgr.agent.l2.linuxbridge import firewall as lb_firewall
from netmgr.cmd import agent_service
from netmgr.cmd import startup
from netmgr import conf as nm_conf
from netmgr.conf import linuxbridge_agent as lb_conf
from netmgr import constants as const
from netmgr.rpc import plugin_api
from netmgr.rpc import transport as rpc_transport

LOG = logging.getLogger('netmgr.linuxbridge_agent')


def build(conf):
    mappings = lb_conf.parse_interface_mappings(conf.LINUX_BRIDGE.physical_interface_mappings)
    local_ip, remote_ips = lb_conf.tunnel_settings(conf.VXLAN)
    bridges = lb_bridges.BridgeManager(mappings, local_ip=local_ip, remote_ips=remote_ips,
                                       vxlan_port=conf.VXLAN.udp_port)
    transport = rpc_transport.get_transport(conf)
    configurations = {'interface_mappings': mappings,
                      'tunnel_types': [const.TYPE_VXLAN] if local_ip else []}
    if local_ip:
        configurations['tunneling_ip'] = local_ip
    firewall = None
    if conf.SECURITYGROUP.enable_security_group:
        lb_firewall.enable_bridge_netfilter()
        firewall = lb_firewall.IptablesFirewall()
    configurations['firewall'] = 'iptables' if firewall else 'noop'
    agent = lb_agent.LinuxBridgeAgent(
        conf.host, bridges,
        plugin_api.PluginApi(transport, timeout=conf.LINUX_BRIDGE.rpc_timeout),
        polling_interval=conf.AGENT.polling_interval, configurations=configurations,
        firewall=firewall)
    return agent, transport


def main(argv=None):
    conf = startup.load_config(nm_conf.cfg.ConfigOpts(), argv)
    try:
        agent, transport = build(conf)
    except ValueError as exc:      # a bad mapping or address: one clear line
        LOG.error('%s', exc)
        return 2
    monitor = agent.bridges.monitor(agent.device_changed)
    return agent_service.run(conf, agent, transport, const.TOPIC_L2_AGENT,
                             notify_endpoint.L2NotifyEndpoint(agent), 'Linux bridge agent',
                             on_stop=[monitor.stop])


if __name__ == '__main__':
    sys.exit(main())
