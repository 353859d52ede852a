"""local: the network exists only inside one host (no segment on any wire)."""

from netmgr import constants as const
from netmgr.drivers import segment as seg
from netmgr import exceptions


class LocalType:
    network_type = const.TYPE_LOCAL

    def validate(self, physical_network, segmentation_id):
        for name, value in (('physical_network', physical_network),
                            ('segmentation_id', segmentation_id)):
            if value is not None:
                raise exceptions.InvalidInput(
                    error_message='provider:%s prohibited for local provider network' % name)
        return seg.Segment(self.network_type)

    def reserve(self, session, network_id, segment):
        seg.insert(session, network_id, segment, None)
        return segment

    def allocate(self, session, network_id):
        return self.reserve(session, network_id, seg.Segment(self.network_type))
