"""The L2 driver interface: what the server needs from the way ports are wired.

A driver names the VIF type Nova plugs, the agent type that serves it and the network types
it carries; segment allocation is shared by all drivers (one TypeManager over the
``networksegments`` table), so switching driver keeps every network's segment. A segment is
released by the network's delete itself (the row cascades with the network), so there is no
release call to forget."""

import abc

from netmgr import constants as const
from netmgr.drivers import segment as seg


class L2Driver(abc.ABC):
    def __init__(self, type_manager):
        self.type_manager = type_manager

    @property
    @abc.abstractmethod
    def name(self):
        """The mechanism_driver value that selects this driver."""

    @property
    @abc.abstractmethod
    def vif_type(self):
        """binding:vif_type of ports on this driver ('ovs', 'bridge')."""

    @property
    @abc.abstractmethod
    def agent_type(self):
        """The agent_type of the L2 agents that wire this driver's ports."""

    supported_network_types = (const.TYPE_FLAT, const.TYPE_VLAN, const.TYPE_VXLAN,
                               const.TYPE_LOCAL)

    @abc.abstractmethod
    def vif_details(self, network_id, segment):
        """binding:vif_details of a port on ``network_id`` (a dict of primitives)."""

    # ---- segments ------------------------------------------------------------------------

    def validate_provider_segment(self, network_type, physical_network, segmentation_id):
        """A Segment from an admin's provider attributes (None where not given); 400 on any
        invalid combination. Ids left out are allocated by reserve_provider_segment."""
        return self.type_manager.validate(network_type, physical_network, segmentation_id)

    def reserve_provider_segment(self, session, network_id, segment):
        """Store a validated segment for a new network; 409 if another network has it."""
        return self.type_manager.reserve(session, network_id, segment)

    def allocate_tenant_segment(self, session, network_id):
        """A free segment of the first tenant network type that has one; 503 when none."""
        return self.type_manager.allocate_tenant(session, network_id)

    def segments_for_networks(self, session, network_ids):
        """{network_id: Segment} (networks older than segments have none)."""
        return seg.for_networks(session, network_ids)

    def segment_for_network(self, session, network_id):
        """What an agent needs to wire the network: a dict with network_type,
        physical_network and segmentation_id, or None."""
        segment = self.segments_for_networks(session, [network_id]).get(network_id)
        return None if segment is None else segment.as_dict()
