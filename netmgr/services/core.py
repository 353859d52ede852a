"""The core plugin: networks, subnets and ports wired to one database and one IPAM."""

from netmgr.drivers import loader as l2_loader
from netmgr.ipam import db_backend
from netmgr.ipam import mac as ipam_mac
from netmgr.services import agent_binder
from netmgr.services import agents
from netmgr.services import allowed_address_pairs
from netmgr.services import external_net
from netmgr.services import devices
from netmgr.services import floatingips
from netmgr.services import network_mtu
from netmgr.services import networks
from netmgr.services import port_binding
from netmgr.services import port_secgroups
from netmgr.services import port_security
from netmgr.services import ports
from netmgr.services import provider_net
from netmgr.services import quotas
from netmgr.services import routers
from netmgr.services import security_group_rules
from netmgr.services import securitygroups
from netmgr.services import sg_rpc
from netmgr.services import subnets
from netmgr.services import tunnels


class CoreServices:
    """Builds the resource services and exposes them by collection name."""

    def __init__(self, conf, db, ipam=None, policy=None, notifier_factory=None):
        """``notifier_factory(db, l2_driver)`` makes the agent notifier (none: no RPC)."""
        self.conf = conf
        self.db = db
        self.ipam = ipam or db_backend.DbIpamBackend()
        retries = conf.database.api_retries
        self.quotas = quotas.QuotaService(db, conf, policy=policy, retries=retries)
        self.l2_driver = l2_loader.build(conf)
        self.notifier = notifier_factory(db, self.l2_driver) if notifier_factory else None
        self.subnets = subnets.SubnetService(db, self.ipam, conf, retries,
                                             quotas=self.quotas, notifier=self.notifier)
        self.agents = agents.AgentService(db, conf, retries)
        self.networks = networks.NetworkService(
            db, self.subnets, retries, extensions=[external_net.ExternalNetworks(),
                                                   port_security.NetworkPortSecurity(),
                                                   provider_net.ProviderNetworks(self.l2_driver),
                                                   # after provider: it reads the type
                                                   network_mtu.NetworkMtu(
                                                       conf.global_physnet_mtu)],
            quotas=self.quotas, notifier=self.notifier)
        macs = ipam_mac.MacGenerator(conf.base_mac, conf.mac_ranges)
        # Port security first: the security group and address pair extensions read it.
        port_extensions = [port_security.PortPortSecurity(), port_secgroups.PortSecurityGroups(),
                           allowed_address_pairs.AllowedAddressPairs(
                               conf.max_allowed_address_pair),
                           port_binding.PortBindings(
                               agent_binder.AgentBinder(self.l2_driver, self.agents))]
        self.ports = ports.PortService(db, self.subnets, macs, conf, retries,
                                       quotas=self.quotas, extensions=port_extensions,
                                       notifier=self.notifier)
        self.devices = devices.DeviceService(db, self.ports, self.l2_driver, retries)
        self.tunnels = tunnels.TunnelService(db, self.notifier, retries)
        self.security_groups = securitygroups.SecurityGroupService(
            db, retries, self.quotas, notifier=self.notifier)
        self.security_group_rules = security_group_rules.SecurityGroupRuleService(
            db, retries, self.quotas, notifier=self.notifier)
        self.sg_info = sg_rpc.SecurityGroupInfo(db)
        self.routers = routers.RouterService(db, self.ports, self.subnets, retries,
                                             quotas=self.quotas, policy=policy,
                                             notifier=self.notifier)
        self.floatingips = floatingips.FloatingIPService(db, self.ports, retries,
                                                         quotas=self.quotas,
                                                         notifier=self.notifier)

    def by_collection(self):
        return {s.collection: s for s in (self.networks, self.subnets, self.ports,
                                          self.routers, self.floatingips, self.agents,
                                          self.security_groups, self.security_group_rules)}
