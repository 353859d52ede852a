"""Entry point for oslo-config-generator (namespace ``netmgr``)."""

import itertools

from netmgr.conf import agent, api, core, database, l2, ovs_agent, quotas
from netmgr.conf import dhcp_agent
from netmgr.conf import l3_agent
from netmgr.conf import linuxbridge_agent
from netmgr.conf import nova_network


def list_opts():
    groups = {}
    for group, opts in itertools.chain(agent.list_opts(), api.list_opts(), core.list_opts(),
                                       dhcp_agent.list_opts(),
                                       l3_agent.list_opts(),
                                       linuxbridge_agent.list_opts(),
                                       database.list_opts(), l2.list_opts(),
                                       ovs_agent.list_opts(), nova_network.list_opts(),
                                       quotas.list_opts()):
        groups.setdefault(group, []).extend(opts)
    return [(group or 'DEFAULT', opts) for group, opts in groups.items()]
