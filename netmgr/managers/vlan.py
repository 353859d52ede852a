"""VlanManager: a network per project, made on the project's first boot.

Project network n is a provider VLAN network on ``physical_network`` with VLAN
``vlan_start + n`` and subnet the n-th ``network_size`` slice of ``fixed_range``, DHCP on (and a
router with SNAT when an external network is configured). n is the lowest index whose VLAN is
free; the segment's unique key settles two first boots at once: the loser gets VlanIdInUse,
finds the winner's network if it was the same project, or tries the next index if not. Two
boots of one project that each took a different free VLAN settle it in ``create`` (``rivals``):
at most one of the two networks is kept.
"""

import math
import threading

import netaddr

from netmgr import constants as const
from netmgr import exceptions
from netmgr.managers import base

MAX_VLAN = 4094


class VlanManager(base.NetworkManager):
    kind = 'vlan'
    dhcp = True
    network_type = const.TYPE_VLAN

    def __init__(self, conf, client):
        super().__init__(conf, client)
        if not self.physical_network:
            raise ValueError('VlanManager needs physical_network (the physical network of '
                             'its VLANs)')
        size = conf.network_size
        if size & (size - 1):
            raise ValueError('network_size %d is not a power of two' % size)
        self.prefixlen = 32 - int(math.log2(size))
        if self.prefixlen < self.fixed_range.prefixlen:
            raise ValueError('network_size %d is larger than fixed_range %s'
                             % (size, self.fixed_range))
        self.vlan_start = conf.vlan_start
        self.num_networks = conf.num_networks
        slices = 2 ** (self.prefixlen - self.fixed_range.prefixlen)
        if self.num_networks > slices:
            raise ValueError('num_networks %d x network_size %d does not fit in fixed_range '
                             '%s' % (self.num_networks, size, self.fixed_range))
        if self.vlan_start + self.num_networks - 1 > MAX_VLAN:
            raise ValueError('vlan_start %d + num_networks %d passes VLAN %d'
                             % (self.vlan_start, self.num_networks, MAX_VLAN))
        self._lock = threading.Lock()

    @property
    def bridge_interface(self):
        return self.conf.vlan_interface

    def cidr(self, index):
        """The ``index``-th network_size slice of fixed_range."""
        first = self.fixed_range.first + index * self.conf.network_size
        return netaddr.IPNetwork('%s/%d' % (netaddr.IPAddress(first), self.prefixlen))

    def networks_for_project(self, project_id):
        with self._lock:
            return [self.project_network(project_id)]

    def used_indexes(self):
        return {n['provider:segmentation_id'] - self.vlan_start for n in self.find()
                if n['provider:physical_network'] == self.physical_network}

    def project_network(self, project_id):
        skipped = set()
        for _attempt in range(self.num_networks + base.ATTEMPTS):
            found = self.find(tenant_id=project_id)
            if found:
                network = self.ready(found[0])
                if network is not None:
                    return network
                continue
            index = self.free_index(skipped)
            try:
                network = self.create(project_id, 'vlan%d' % (self.vlan_start + index),
                                      self.cidr(index), shared=False,
                                      segmentation_id=self.vlan_start + index,
                                      rivals={'tenant_id': project_id})
            except exceptions.VlanIdInUse:
                skipped.add(index)
                continue
            if network is not None:
                return network
            self.back_off()
        raise base.NoMoreNetworks(reason='no network could be made for project %s'
                                  % project_id)

    def free_index(self, skipped=()):
        taken = self.used_indexes() | set(skipped)
        for index in range(self.num_networks):
            if index not in taken:
                return index
        raise base.NoMoreNetworks(reason='num_networks is %d and all are in use'
                                  % self.num_networks)
