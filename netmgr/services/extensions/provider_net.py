"""provider:* on networks: every network gets a segment from the L2 driver in its create
transaction (the admin's choice, or a free tenant segment); the segment row goes with the
network (ON DELETE CASCADE), also when the create fails."""

import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import provider_net as provider_def
from netmgr.db.models import core
from netmgr.drivers import segment as seg
from netmgr import exceptions
from netmgr.services.extensions import base

NETWORKS = core.Network.__table__
SEGMENTS = seg.SEGMENTS
COLUMN_OF = {provider_def.NETWORK_TYPE: SEGMENTS.c.network_type,
             provider_def.PHYSICAL_NETWORK: SEGMENTS.c.physical_network,
             provider_def.SEGMENTATION_ID: SEGMENTS.c.segmentation_id}


def _given(data, name):
    value = data.get(name, ATTR_NOT_SPECIFIED)
    return None if value is ATTR_NOT_SPECIFIED else value


def _as_attributes(segment):
    if segment is None:
        return dict.fromkeys(provider_def.ATTRIBUTES)
    return {provider_def.NETWORK_TYPE: segment.network_type,
            provider_def.PHYSICAL_NETWORK: segment.physical_network,
            provider_def.SEGMENTATION_ID: segment.segmentation_id}


class ProviderNetworks(base.AttributeExtension):
    collection = 'networks'
    attributes = provider_def.ATTRIBUTES

    def __init__(self, l2_driver):
        self.l2_driver = l2_driver

    def create(self, session, context, resource, data):
        wanted = [_given(data, name) for name in provider_def.ATTRIBUTES]
        if any(value is not None for value in wanted):
            segment = self.l2_driver.validate_provider_segment(*wanted)
            segment = self.l2_driver.reserve_provider_segment(session, resource['id'], segment)
        else:
            segment = self.l2_driver.allocate_tenant_segment(session, resource['id'])
        resource.update(_as_attributes(segment))

    def update(self, session, context, resource, data):
        current = _as_attributes(self.l2_driver.segments_for_networks(
            session, [resource['id']]).get(resource['id']))
        if any(data[name] != current[name] for name in provider_def.ATTRIBUTES if name in data):
            raise exceptions.InvalidInput(
                error_message='Plugin does not support updating provider attributes')

    def extend(self, session, resources, ids):
        # The driver takes a list of ids, not the page's id query.
        found = self.l2_driver.segments_for_networks(session, [r['id'] for r in resources])
        for resource in resources:
            resource.update(_as_attributes(found.get(resource['id'])))

    def filter(self, name, values):
        column = COLUMN_OF[name]
        if name == provider_def.PHYSICAL_NETWORK:
            values = [v or '' for v in values]
        matching = sa.select(SEGMENTS.c.network_id).where(column.in_(values))
        if name == provider_def.SEGMENTATION_ID:
            # Stored 0 means "no id" (flat); it never matches a filter.
            matching = matching.where(SEGMENTS.c.network_type.in_(seg.WITH_ID))
        return NETWORKS.c.id.in_(matching)
