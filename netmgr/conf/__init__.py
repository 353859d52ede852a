"""Configuration: each module holds one option group; ``register_all`` puts them on a ConfigOpts.

Nothing is registered at import time: entry points and tests call ``register_all``.
"""

from oslo_config import cfg

from netmgr.conf import agent as agent_conf
from netmgr.conf import api as api_conf
from netmgr.conf import core as core_conf
from netmgr.conf import database as database_conf
from netmgr.conf import dhcp_agent as dhcp_agent_conf
from netmgr.conf import l2 as l2_conf
from netmgr.conf import l3_agent as l3_agent_conf
from netmgr.conf import linuxbridge_agent as linuxbridge_agent_conf
from netmgr.conf import ovs_agent as ovs_agent_conf
from netmgr.conf import quotas as quotas_conf

CONF = cfg.CONF


def register_all(conf=CONF):
    agent_conf.register(conf)
    api_conf.register(conf)
    core_conf.register(conf)
    database_conf.register(conf)
    dhcp_agent_conf.register(conf)
    l2_conf.register(conf)
    l3_agent_conf.register(conf)
    linuxbridge_agent_conf.register(conf)
    ovs_agent_conf.register(conf)
    quotas_conf.register(conf)
    return conf


def new_conf(args=(), default_config_files=None, **overrides):
    """A fresh, registered ConfigOpts (for tests and in-process embedding)."""
    conf = cfg.ConfigOpts()
    register_all(conf)
    conf(list(args), project='netmgr',
         default_config_files=default_config_files or [])
    for key, value in overrides.items():
        group, _, name = key.rpartition('.')
        conf.set_override(name, value, group=group or None)
    return conf
