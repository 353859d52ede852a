"""vlan: 802.1Q-tagged traffic on a physical network; tenants get ids from network_vlan_ranges."""

from netmgr.conf import l2 as l2_conf
from netmgr import constants as const
from netmgr.drivers import segment as seg
from netmgr import exceptions


class VlanType:
    network_type = const.TYPE_VLAN

    def __init__(self, ranges):
        """``ranges``: {physnet: [(first, last), ...]}; an empty list allows provider VLANs
        on that physnet without tenant allocation."""
        self.ranges = {physnet: list(bounds) for physnet, bounds in ranges.items()}

    def validate(self, physical_network, segmentation_id):
        if physical_network is None:
            if segmentation_id is not None:
                raise _invalid('provider:physical_network required for VLAN provider network')
            return seg.Segment(self.network_type)  # any free tenant VLAN
        if physical_network not in self.ranges:
            raise _invalid("physical_network '%s' unknown for VLAN provider network"
                           % physical_network)
        if segmentation_id is None:  # a free tenant VLAN of that physnet
            return seg.Segment(self.network_type, physical_network)
        if not l2_conf.MIN_VLAN <= segmentation_id <= l2_conf.MAX_VLAN:
            raise _invalid('provider:segmentation_id out of range (%d through %d)'
                           % (l2_conf.MIN_VLAN, l2_conf.MAX_VLAN))
        return seg.Segment(self.network_type, physical_network, segmentation_id)

    def reserve(self, session, network_id, segment):
        physnet = segment.physical_network
        return seg.reserve_with_id(
            session, network_id, segment, lambda: self.allocate(session, network_id, physnet),
            lambda: exceptions.VlanIdInUse(vlan_id=segment.segmentation_id,
                                           physical_network=physnet))

    def allocate(self, session, network_id, physical_network=None):
        physnets = [physical_network] if physical_network else sorted(self.ranges)
        for physnet in physnets:
            segment = seg.allocate_in(session, network_id, self.network_type, physnet,
                                      self.ranges[physnet])
            if segment is not None:
                return segment
        return None


def _invalid(msg):
    return exceptions.InvalidInput(error_message=msg)
