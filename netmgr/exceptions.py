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


class FloatingIPNotFound(NotFound):
    message = 'Floating IP %(floatingip_id)s could not be found.'


class ExternalGatewayForFloatingIPNotFound(NotFound):
    message = ('External network %(external_network_id)s is not reachable from subnet '
               '%(subnet_id)s. Therefore, cannot associate Port %(port_id)s with a Floating '
               'IP.')


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


class FloatingIPPortAlreadyAssociated(InUse):
    message = ('Cannot associate floating IP %(floating_ip_address)s (%(fip_id)s) with port '
               '%(port_id)s using fixed IP %(fixed_ip)s, as that fixed IP already has a '
               'floating IP on external network %(net_id)s.')


class RouterInterfaceInUseByFloatingIP(InUse):
    message = ('Router interface for subnet %(subnet_id)s on router %(router_id)s cannot be '
               'deleted, as it is required by one or more floating IPs.')


class RouterExternalGatewayInUseByFloatingIp(InUse):
    message = ('Gateway cannot be updated for router %(router_id)s, since a gateway to '
               'external network %(net_id)s is required by one or more floating IPs.')


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


class ProcessExecutionError(AgentError):
    message = ('Command %(cmd)s exited with code %(exit_code)s: %(stderr)s')

    @property
    def exit_code(self):
        return self.kwargs['exit_code']


class NetlinkOperationError(AgentError):
    message = 'Kernel refused %(operation)s: %(reason)s.'


class NetworkNamespaceNotFound(AgentError):
    message = 'Network namespace %(namespace)s does not exist.'


class NetworkDeviceNotFound(AgentError):
    message = 'Network device %(device)s does not exist in namespace %(namespace)s.'


class OVSDBOperationError(AgentError):
    message = 'OVSDB at %(connection)s: %(reason)s.'


class VifPlugError(AgentError):
    message = 'Could not %(operation)s VIF %(vif_id)s with %(driver)s: %(reason)s.'


# ---- security groups, port security, allowed address pairs ---------------------------------

class SecurityGroupNotFound(NotFound):
    message = 'Security group %(id)s does not exist.'


class SecurityGroupRuleNotFound(NotFound):
    message = 'Security group rule %(id)s does not exist.'


class InvalidCIDR(BadRequest):
    message = 'Invalid CIDR %(input)s given as IP prefix.'


class SecurityGroupRuleInvalidProtocol(BadRequest):
    message = ('Security group rule protocol %(protocol)s not supported. Only protocol values '
               '%(values)s and integer representations [0 to 255] are supported.')


class SecurityGroupInvalidPortValue(BadRequest):
    message = 'Invalid value for port %(port)s.'


class SecurityGroupInvalidPortRange(BadRequest):
    message = 'For TCP/UDP protocols, port_range_min must be <= port_range_max'


class SecurityGroupInvalidIcmpValue(BadRequest):
    message = 'Invalid value for ICMP %(field)s (%(attr)s) %(value)s. It must be 0 to 255.'


class SecurityGroupMissingIcmpType(BadRequest):
    message = ('ICMP code (port-range-max) %(value)s is provided but ICMP type '
               '(port-range-min) is missing.')


class SecurityGroupProtocolRequiredWithPorts(BadRequest):
    message = 'Must also specify protocol if port range is given.'


class SecurityGroupInvalidProtoForPortRange(BadRequest):
    message = ('Invalid protocol %(protocol)s for port range, only supported for TCP, UDP, '
               'UDPLITE, SCTP and DCCP.')


class SecurityGroupRemoteGroupAndRemoteIpPrefix(BadRequest):
    message = 'Only remote_ip_prefix or remote_group_id may be provided.'


class SecurityGroupRuleParameterConflict(BadRequest):
    message = 'Conflicting value ethertype %(ethertype)s for CIDR %(cidr)s'


class SecurityGroupEthertypeConflictWithProtocol(BadRequest):
    message = 'Invalid ethertype %(ethertype)s for protocol %(protocol)s.'


class PortSecurityAndIPRequiredForSecurityGroups(BadRequest):
    message = ('Port security must be enabled and port must have an IP address in order to '
               'use security groups.')


class AllowedAddressPairsMissingIP(BadRequest):
    message = 'AllowedAddressPair must contain ip_address'


class DuplicateAddressPairInRequest(BadRequest):
    message = ('Request contains duplicate address pair: mac_address %(mac_address)s '
               'ip_address %(ip_address)s.')


class AllowedAddressPairExhausted(BadRequest):
    message = 'The number of allowed address pair exceeds the maximum %(quota)s.'


class SecurityGroupInUse(InUse):
    message = 'Security Group %(id)s %(reason)s.'


class SecurityGroupCannotRemoveDefault(InUse):
    message = 'Insufficient rights for removing default security group.'


class SecurityGroupCannotUpdateDefault(InUse):
    message = 'Updating default security group not allowed.'


class SecurityGroupDefaultAlreadyExists(InUse):
    message = 'Default security group already exists.'


class SecurityGroupRuleExists(InUse):
    message = 'Security group rule already exists. Rule id is %(rule_id)s.'


class DuplicateSecurityGroupRuleInPost(InUse):
    message = 'Duplicate Security Group Rule in POST.'


class PortSecurityPortHasSecurityGroup(InUse):
    message = ('Port has security group associated. Cannot disable port security or ip '
               'address until security group is removed')


class AddressPairAndPortSecurityRequired(Conflict):
    message = ('Port Security must be enabled in order to have allowed address pairs on a '
               'port.')


# ---- provider networks and segments ---------------------------------------------------------

class VlanIdInUse(InUse):
    message = ('Unable to create the network. The VLAN %(vlan_id)s on physical network '
               '%(physical_network)s is in use.')


class TunnelIdInUse(InUse):
    message = 'Unable to create the network. The tunnel ID %(tunnel_id)s is in use.'


class FlatNetworkInUse(InUse):
    message = ('Unable to create the flat network. Physical network %(physical_network)s is '
               'in use.')


class NoNetworkAvailable(ServiceUnavailable):
    message = 'Unable to create the network. No tenant network is available for allocation.'
