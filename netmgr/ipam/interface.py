"""The IPAM contract the core service talks to. Every call runs inside the caller's
transaction (``session``), so a failed API call leaves no allocation behind."""

import abc


class IpamBackend(abc.ABC):

    @abc.abstractmethod
    def create_subnet(self, session, subnet, policy=None):
        """Make the subnet's pools available for allocation."""

    @abc.abstractmethod
    def update_subnet_pools(self, session, subnet):
        """Recompute availability after the pools (or gateway) changed."""

    @abc.abstractmethod
    def set_policy(self, session, subnet, policy):
        """Replace the subnet's IP policy (unusable ranges and octets)."""

    @abc.abstractmethod
    def get_policy(self, session, subnet_id):
        """The subnet's IPPolicy."""

    @abc.abstractmethod
    def allocate(self, session, request, port_id):
        """Allocate per request (Any/Specific/Automatic) to port_id; return the address."""

    @abc.abstractmethod
    def release(self, session, subnet, address):
        """Give an address back so it can be allocated again."""

    @abc.abstractmethod
    def count_free(self, session, subnet):
        """How many addresses the subnet can still hand out from its pools."""
