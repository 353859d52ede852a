"""The composition root: database, IPAM, L2 driver, notifier, services, policy and the API
pipeline, built once. Commands (netmgr/cmd), the Nova integration and tests call ``build`` or
``build_client``; nothing else builds services.

    ops, services = netmgr.wiring.build(conf, transport=transport)
    client = netmgr.wiring.build_client(conf, netmgr.context.admin_context('demo'))
"""

import functools

from netmgr import client as client_mod
from netmgr.api import operations as api_operations
from netmgr.api import policy as api_policy
from netmgr.db import api as db_api
from netmgr.drivers import loader as l2_loader
from netmgr.ipam import db_backend
from netmgr.ipam import mac as ipam_mac
from netmgr.services import l2pop
from netmgr.services import notifier as notifier_mod
from netmgr.services import quotas
from netmgr.services.core import networks
from netmgr.services.core import ports
from netmgr.services.core import subnets
from netmgr.services.extensions import address_pairs
from netmgr.services.extensions import agent_binder
from netmgr.services.extensions import binding
from netmgr.services.extensions import external_net
from netmgr.services.extensions import mtu
from netmgr.services.extensions import port_security
from netmgr.services.extensions import provider_net
from netmgr.services.l3 import floatingips
from netmgr.services.l3 import router_sync
from netmgr.services.l3 import routers
from netmgr.services.rpc import agents
from netmgr.services.rpc import devices
from netmgr.services.rpc import tunnels
from netmgr.services.secgroups import agent_info
from netmgr.services.secgroups import groups
from netmgr.services.secgroups import port_groups
from netmgr.services.secgroups import rules


class Services:
    """Every service, built once on one database, IPAM, L2 driver and notifier."""

    def __init__(self, conf, db, ipam=None, policy=None, notifier_factory=None):
        """``notifier_factory(db, l2_driver)`` makes the agent notifier (none: agents are not
        told)."""
        self.conf = conf
        self.db = db
        self.ipam = ipam or db_backend.DbIpamBackend()
        retries = conf.database.api_retries
        self.quotas = quotas.QuotaService(db, conf, policy=policy, retries=retries)
        self.l2_driver = l2_loader.build(conf)
        self.notifier = (notifier_factory(db, self.l2_driver) if notifier_factory
                         else notifier_mod.NullNotifier())
        # Where tunnel networks' ports live: every service that moves, readdresses or
        # deletes ports tells the L2 agents through it.
        self.l2pop = l2pop.L2Population(db)
        self.subnets = subnets.SubnetService(db, self.ipam, conf, retries,
                                             quotas=self.quotas, notifier=self.notifier,
                                             l2pop=self.l2pop)
        self.agents = agents.AgentService(db, conf, retries)
        # Extension lists are in order: each after those it reads (AttributeExtension.reads).
        self.networks = networks.NetworkService(
            db, self.subnets, retries, extensions=[external_net.ExternalNetworks(),
                                                   port_security.NetworkPortSecurity(),
                                                   provider_net.ProviderNetworks(self.l2_driver),
                                                   mtu.NetworkMtu.from_conf(conf)],
            quotas=self.quotas, notifier=self.notifier, l2pop=self.l2pop)
        macs = ipam_mac.MacGenerator(conf.base_mac, conf.mac_ranges)
        port_extensions = [port_security.PortPortSecurity(), port_groups.PortSecurityGroups(),
                           address_pairs.AllowedAddressPairs(conf.max_allowed_address_pair),
                           binding.PortBindings(
                               agent_binder.AgentBinder(self.l2_driver, self.agents))]
        self.ports = ports.PortService(db, self.subnets, macs, conf, retries,
                                       quotas=self.quotas, extensions=port_extensions,
                                       notifier=self.notifier, l2pop=self.l2pop)
        self.devices = devices.DeviceService(db, self.ports, self.l2_driver, self.l2pop,
                                             retries, notifier=self.notifier)
        self.tunnels = tunnels.TunnelService(db, self.notifier, retries)
        self.security_groups = groups.SecurityGroupService(
            db, retries, self.quotas, notifier=self.notifier)
        self.security_group_rules = rules.SecurityGroupRuleService(
            db, retries, self.quotas, notifier=self.notifier)
        self.sg_info = agent_info.SecurityGroupInfo(db)
        self.routers = routers.RouterService(db, self.ports, self.subnets, retries,
                                             quotas=self.quotas, policy=policy,
                                             notifier=self.notifier, l2pop=self.l2pop)
        self.floatingips = floatingips.FloatingIPService(db, self.ports, retries,
                                                         quotas=self.quotas,
                                                         notifier=self.notifier)
        self.router_sync = router_sync.RouterSync(db, self.ports, retries)

    def by_collection(self):
        return {s.collection: s for s in (self.networks, self.subnets, self.ports,
                                          self.routers, self.floatingips, self.agents,
                                          self.security_groups, self.security_group_rules)}


def build(conf, db=None, transport=None, notifier_factory=None):
    """(operations, services) on ``db`` (default: from conf). With an oslo.messaging
    ``transport`` agents are told of every change after its commit; ``notifier_factory(db,
    l2_driver)`` replaces that notifier (tests)."""
    db = db or db_api.Database.from_conf(conf)
    if notifier_factory is None and transport is not None:
        notifier_factory = functools.partial(notifier_mod.AgentNotifier, transport)
    policy = api_policy.PolicyEngine(conf)
    services = Services(conf, db, policy=policy, notifier_factory=notifier_factory)
    return api_operations.Operations(services.by_collection(), policy, conf), services


def build_client(conf, context, db=None, transport=None):
    """The Python API (netmgr.client.Client) acting as ``context``."""
    ops, services = build(conf, db, transport=transport)
    return client_mod.Client(ops, context, services)
