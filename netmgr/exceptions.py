"""The one error tree.

Class names are the wire ``type`` in ``{"NeutronError": {...}}``, so leaves keep Neutron's names.
HTTP codes are decided only by the base classes, in ``netmgr.api.wsgi.faults``.
"""


class NetmgrException(Exception):
    """Base: a message template filled from keyword arguments."""

    message = 'An unknown exception occurred.'

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.msg = self.message % kwargs
        super().__init__(self.msg)

    def __str__(self):
        return self.msg


# ---- bases: one per HTTP code --------------------------------------------------------------

class BadRequest(NetmgrException):
    message = 'Bad %(resource)s request: %(msg)s.'


class NotAuthorized(NetmgrException):
    message = 'Not authorized.'


class NotFound(NetmgrException):
    message = 'An unknown exception occurred.'


class MethodNotAllowed(NetmgrException):
    message = 'Method %(method)s is not allowed on %(path)s.'


class Conflict(NetmgrException):
    message = 'An unknown exception occurred.'


class ServiceUnavailable(NetmgrException):
    message = 'The service is unavailable.'


class InUse(Conflict):
    message = 'The resource is in use.'


# ---- 400 -----------------------------------------------------------------------------------

class InvalidInput(BadRequest):
    message = 'Invalid input for operation: %(error_message)s.'


class MalformedRequestBody(BadRequest):
    message = 'Malformed request body: %(reason)s.'


class OutOfBoundsAllocationPool(BadRequest):
    message = 'The allocation pool %(pool)s spans beyond the subnet cidr %(subnet_cidr)s.'


class InvalidAllocationPool(BadRequest):
    message = 'The allocation pool %(pool)s is not valid.'


class DNSNameServersExhausted(BadRequest):
    message = ('Unable to complete operation for %(subnet_id)s. The number of DNS nameservers '
               'exceeds the limit %(quota)s.')


class HostRoutesExhausted(BadRequest):
    message = ('Unable to complete operation for %(subnet_id)s. The number of host routes '
               'exceeds the limit %(quota)s.')


class InvalidIpForNetwork(BadRequest):
    message = ('IP address %(ip_address)s is not a valid IP for any of the subnets on the '
               'specified network.')


class InvalidIpForSubnet(BadRequest):
    message = 'IP address %(ip_address)s is not a valid IP for the specified subnet.'


class AllocationOnAutoAddressSubnet(InvalidInput):
    message = ('IPv6 address %(ip)s cannot be directly assigned to a port on subnet '
               '%(subnet_id)s as the subnet is configured for automatic addresses.')


class InvalidSortKey(BadRequest):
    message = '%(key)s is an invalid attribute for sort_key.'


class InvalidFilter(BadRequest):
    message = '[%(filter)s] is invalid attribute for filtering.'


# ---- 403 -----------------------------------------------------------------------------------

class PolicyNotAuthorized(NotAuthorized):
    message = '(rule:%(action)s) is disallowed by policy.'


class AdminRequired(NotAuthorized):
    message = 'User does not have admin privileges: %(reason)s.'


# ---- 404 -----------------------------------------------------------------------------------

class NetworkNotFound(NotFound):
    message = 'Network %(net_id)s could not be found.'


class SubnetNotFound(NotFound):
    message = 'Subnet %(subnet_id)s could not be found.'


class PortNotFound(NotFound):
    message = 'Port %(port_id)s could not be found.'


class ExtensionNotFound(NotFound):
    message = 'Extension with alias %(alias)s does not exist.'


class RouterNotFound(NotFound):
    message = 'Router %(router_id)s could not be found.'


class RouterInterfaceNotFound(NotFound):
    message = 'Router %(router_id)s does not have an interface with id %(port_id)s.'


class RouterInterfaceNotFoundForSubnet(NotFound):
    message = 'Router %(router_id)s has no interface on subnet %(subnet_id)s.'


class AgentNotFound(NotFound):
    message = 'Agent %(id)s could not be found.'


class ResourceNotFound(NotFound):
    message = 'The resource could not be found: %(path)s.'


class MarkerNotFound(NotFound):
    message = 'Marker %(marker)s could not be found.'


# ---- 409 -----------------------------------------------------------------------------------

class NetworkInUse(InUse):
    message = ('Unable to complete operation on network %(net_id)s. There are one or more '
               'ports still in use on the network.')


class SubnetInUse(InUse):
    message = 'Unable to complete operation on subnet %(subnet_id)s: %(reason)s.'

    def __init__(self, **kwargs):
        kwargs.setdefault('reason', 'One or more ports have an IP allocation from this subnet')
        super().__init__(**kwargs)


class PortInUse(InUse):
    message = ('Unable to complete operation on port %(port_id)s for network %(net_id)s. '
               'Port already has an attached device %(device_id)s.')


class RouterInUse(InUse):
    message = 'Router %(router_id)s %(reason)s.'

    def __init__(self, **kwargs):
        kwargs.setdefault('reason', 'still has ports')
        super().__init__(**kwargs)


class L3PortInUse(InUse):
    message = ('Port %(port_id)s has owner %(device_owner)s and therefore cannot be deleted '
               'directly via the port API.')


class MacAddressInUse(InUse):
    message = ('Unable to complete operation for network %(net_id)s. The mac address %(mac)s '
               'is in use.')


class IpAddressInUse(InUse):
    message = ('Unable to complete operation for network %(net_id)s. The IP address '
               '%(ip_address)s is in use.')


class IpAddressAlreadyAllocated(Conflict):
    message = 'IP address %(ip)s already allocated in subnet %(subnet_id)s.'


class IpAddressGenerationFailure(Conflict):
    message = 'No more IP addresses available on network %(net_id)s.'


class OverlappingAllocationPools(Conflict):
    message = ('Found overlapping allocation pools: %(pool_1)s %(pool_2)s for subnet '
               '%(subnet_cidr)s.')


class GatewayConflictWithAllocationPools(InUse):
    message = 'Gateway ip %(ip_address)s conflicts with allocation pool %(pool)s.'


class ExternalNetworkInUse(InUse):
    message = ('External network %(net_id)s cannot be updated to be made non-external, since '
               'it has existing gateway ports.')


class OverQuota(Conflict):
    message = 'Quota exceeded for resources: %(overs)s.'


class InvalidSharedSetting(Conflict):
    message = ('Unable to reconfigure sharing settings for network %(network)s. Multiple '
               'tenants are using it.')


# ---- 503 -----------------------------------------------------------------------------------

class MacAddressGenerationFailure(ServiceUnavailable):
    message = 'Unable to generate unique mac on network %(net_id)s.'


class RetryRequest(NetmgrException):
    """Raised inside a transaction to have the whole API call retried (lost a race)."""

    message = 'Concurrent update detected; the operation is retried: %(reason)s.'


class SchemaOutOfDate(NetmgrException):
    message = ("The database schema is %(current)s but this netmgr needs %(head)s: "
               "run 'netmgr-db-manage upgrade head'.")


# ---- agents (raised and handled on agent hosts; never an API answer) ---------------------

class AgentError(NetmgrException):
    message = 'Agent error: %(reason)s.'


class LocalVlanExhausted(AgentError):
    message = 'No local VLAN is left on this host for network %(network_id)s.'
