"""vxlan: an overlay with a 24-bit VNI; tenants get VNIs from vni_ranges."""

from netmgr.conf import l2 as l2_conf
from netmgr.drivers import segment as seg
from netmgr import exceptions


class VxlanType:
    network_type = seg.VXLAN

    def __init__(self, ranges):
        self.ranges = list(ranges)

    def validate(self, physical_network, segmentation_id):
        if physical_network is not None:
            raise _invalid('provider:physical_network prohibited for VXLAN provider network')
        if segmentation_id is None:  # a free tenant VNI
            return seg.Segment(self.network_type)
        if not l2_conf.MIN_VNI <= segmentation_id <= l2_conf.MAX_VNI:
            raise _invalid('provider:segmentation_id out of range (%d through %d)'
                           % (l2_conf.MIN_VNI, l2_conf.MAX_VNI))
        return seg.Segment(self.network_type, None, segmentation_id)

    def reserve(self, session, network_id, segment):
        if segment.segmentation_id is None:
            allocated = self.allocate(session, network_id)
            if allocated is None:
                raise exceptions.NoNetworkAvailable()
            return allocated
        if seg.is_taken(session, self.network_type, None, segment.segmentation_id):
            raise exceptions.TunnelIdInUse(tunnel_id=segment.segmentation_id)
        seg.insert(session, network_id, segment, segment.segmentation_id)
        return segment

    def allocate(self, session, network_id):
        for first, last in self.ranges:
            vni = seg.lowest_free(session, self.network_type, None, first, last)
            if vni is not None:
                segment = seg.Segment(self.network_type, None, vni)
                seg.insert(session, network_id, segment, vni)
                return segment
        return None


def _invalid(msg):
    return exceptions.InvalidInput(error_message=msg)
