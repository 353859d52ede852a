"""The core plugin: networks, subnets and ports wired to one database and one IPAM."""

from netmgr.ipam import db_backend
from netmgr.ipam import mac as ipam_mac
from netmgr.services import agents
from netmgr.services import external_net
from netmgr.services import networks
from netmgr.services import ports
from netmgr.services import quotas
from netmgr.services import routers
from netmgr.services import subnets


class CoreServices:
    """Builds the resource services and exposes them by collection name."""

    def __init__(self, conf, db, ipam=None, policy=None):
        self.conf = conf
        self.db = db
        self.ipam = ipam or db_backend.DbIpamBackend()
        retries = conf.database.api_retries
        self.quotas = quotas.QuotaService(db, conf, policy=policy, retries=retries)
        self.subnets = subnets.SubnetService(db, self.ipam, conf, retries,
                                             quotas=self.quotas)
        self.networks = networks.NetworkService(
            db, self.subnets, retries, extensions=[external_net.ExternalNetworks()],
            quotas=self.quotas)
        macs = ipam_mac.MacGenerator(conf.base_mac, conf.mac_ranges)
        self.ports = ports.PortService(db, self.subnets, macs, conf, retries,
                                       quotas=self.quotas)
        self.routers = routers.RouterService(db, self.ports, self.subnets, retries,
                                             quotas=self.quotas, policy=policy)
        self.agents = agents.AgentService(db, conf, retries)

    def by_collection(self):
        return {s.collection: s for s in (self.networks, self.subnets, self.ports,
                                          self.routers, self.agents)}
