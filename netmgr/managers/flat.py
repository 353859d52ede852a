"""FlatManager and FlatDHCPManager: one shared flat network for every project.

The network (provider flat on ``physical_network``, or local when none is set) and its subnet
on all of ``fixed_range`` are made on the first boot that needs them. Two first boots at once
make one network: on a physical network the flat segment itself is unique (FlatNetworkInUse
for the second); a local network has no such guard, so ``create`` (``rivals``) keeps a new
network only if it is the sole flat network of this manager.
"""

import threading

from netmgr import constants as const
from netmgr import exceptions
from netmgr.managers import base


class FlatManager(base.NetworkManager):
    kind = 'flat'
    dhcp = False
    network_type = const.TYPE_FLAT

    def __init__(self, conf, client):
        super().__init__(conf, client)
        self._lock = threading.Lock()

    @property
    def injected(self):
        return bool(self.conf.flat_injected)

    def networks_for_project(self, project_id):
        with self._lock:
            return [self.flat_network()]

    def flat_network(self):
        for _attempt in range(base.ATTEMPTS):
            found = self.find()
            if found:
                network = self.ready(found[0])
                if network is not None:
                    return network
                continue
            try:
                network = self.create(base.SHARED_OWNER, self.conf.flat_network_bridge,
                                      self.fixed_range, shared=True, rivals={})
            except exceptions.FlatNetworkInUse:
                if self.find():
                    continue    # another boot made it first
                raise           # a network that is not this manager's has the physnet
            if network is not None:
                return network
            self.back_off()
        raise base.NoMoreNetworks(reason='the flat network could not be made')


class FlatDHCPManager(FlatManager):
    """The same network with DHCP on (and SNAT through a router when an external network is
    configured)."""

    kind = 'flatdhcp'
    dhcp = True

    @property
    def injected(self):
        return False
