"""flat: the network is the untagged traffic of one physical network (one network each)."""

from netmgr import constants as const
from netmgr.drivers import segment as seg
from netmgr import exceptions


class FlatType:
    network_type = const.TYPE_FLAT

    def __init__(self, any_physnet, physnets):
        self.any_physnet = any_physnet
        self.physnets = frozenset(physnets)

    def validate(self, physical_network, segmentation_id):
        if physical_network is None:
            raise _invalid('provider:physical_network required for flat provider network')
        if segmentation_id is not None:
            raise _invalid('provider:segmentation_id prohibited for flat provider network')
        if not (self.any_physnet or physical_network in self.physnets):
            raise _invalid("physical_network '%s' unknown for flat provider network"
                           % physical_network)
        return seg.Segment(self.network_type, physical_network)

    def reserve(self, session, network_id, segment):
        if seg.is_taken(session, self.network_type, segment.physical_network, 0):
            raise exceptions.FlatNetworkInUse(physical_network=segment.physical_network)
        seg.insert(session, network_id, segment, 0)
        return segment

    def allocate(self, session, network_id):
        """Flat networks are never handed out to tenants."""
        return None


def _invalid(msg):
    return exceptions.InvalidInput(error_message=msg)
