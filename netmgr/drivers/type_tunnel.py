"""Tunnel overlays (vxlan, gre, geneve): no physical network, one id per network on the wire.
One class serves every tunnel type, told its type name, the ids it may carry and the tenant
ranges (VXLAN and Geneve VNIs have 24 bits, GRE keys 32)."""

from netmgr.drivers import segment as seg
from netmgr import exceptions


class TunnelType:
    def __init__(self, network_type, ranges, min_id, max_id):
        self.network_type = network_type
        self.ranges = list(ranges)
        self.min_id, self.max_id = min_id, max_id

    def validate(self, physical_network, segmentation_id):
        if physical_network is not None:
            raise _invalid('provider:physical_network prohibited for %s provider network'
                           % self.network_type.upper())
        if segmentation_id is None:  # a free tenant id
            return seg.Segment(self.network_type)
        if not self.min_id <= segmentation_id <= self.max_id:
            raise _invalid('provider:segmentation_id out of range (%d through %d)'
                           % (self.min_id, self.max_id))
        return seg.Segment(self.network_type, None, segmentation_id)

    def reserve(self, session, network_id, segment):
        return seg.reserve_with_id(
            session, network_id, segment, lambda: self.allocate(session, network_id),
            lambda: exceptions.TunnelIdInUse(tunnel_id=segment.segmentation_id))

    def allocate(self, session, network_id):
        return seg.allocate_in(session, network_id, self.network_type, None, self.ranges)


def _invalid(msg):
    return exceptions.InvalidInput(error_message=msg)
