"""Nova's errors, as nova.exception names them: Nova's own classes when nova is importable (so
its API layer turns them into the usual HTTP faults), otherwise stand-ins with the same names,
``msg_fmt``, ``code`` and constructor (``Error(message=None, **kwargs)``)."""

try:  # pragma: no cover - nova is not installed in the test environment
    from nova import exception as _nova
except ImportError:
    _nova = None


class NovaException(Exception):
    msg_fmt = 'An unknown exception occurred.'
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = dict(kwargs, code=self.code)
        if not message:
            message = self.msg_fmt % kwargs
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.args[0]


class Invalid(NovaException):
    msg_fmt = 'Bad Request - Invalid Parameters'
    code = 400


class NotFound(NovaException):
    msg_fmt = 'Resource could not be found.'
    code = 404


class Conflict(NovaException):
    msg_fmt = 'Conflict.'
    code = 409


class Forbidden(NovaException):
    msg_fmt = 'Forbidden'
    code = 403


class InvalidInput(Invalid):
    msg_fmt = 'Invalid input received: %(reason)s'


class NetworkNotFound(NotFound):
    msg_fmt = 'Network %(network_id)s could not be found.'


class NetworkNotFoundForProject(NetworkNotFound):
    msg_fmt = ('Either network uuid %(network_uuid)s is not present or is not assigned to the '
               'project %(project_id)s.')


class NetworkNotFoundForInstance(NetworkNotFound):
    msg_fmt = 'Network could not be found for instance %(instance_id)s.'


class NetworkDuplicated(Invalid):
    msg_fmt = 'Network %(network_id)s is duplicated.'


class NetworkAmbiguous(Invalid):
    msg_fmt = ('More than one possible network found. Specify network ID(s) to select which '
               'one(s) to connect to.')


class NetworkRequiresSubnet(Invalid):
    msg_fmt = ('Network %(network_uuid)s requires a subnet in order to boot instances on.')


class ExternalNetworkAttachForbidden(Forbidden):
    msg_fmt = ('It is not allowed to create an interface on external network '
               '%(network_uuid)s')


class PortNotFound(NotFound):
    msg_fmt = 'Port id %(port_id)s could not be found.'


class PortInUse(Invalid):
    msg_fmt = 'Port %(port_id)s is still in use.'


class PortNotUsable(Invalid):
    msg_fmt = 'Port %(port_id)s not usable for instance %(instance)s.'


class PortBindingFailed(Invalid):
    msg_fmt = ('Binding failed for port %(port_id)s, please check neutron logs for more '
               'information.')


class PortLimitExceeded(NovaException):
    msg_fmt = 'Maximum number of ports exceeded'
    code = 403


class SecurityGroupNotFound(NotFound):
    msg_fmt = 'Security group %(security_group_id)s not found.'


class SecurityGroupCannotBeApplied(Invalid):
    msg_fmt = ('Network requires port_security_enabled and subnet associated in order to '
               'apply security groups.')


class NoUniqueMatch(NovaException):
    msg_fmt = 'No Unique Match Found.'
    code = 409


class FixedIpInvalid(Invalid):
    msg_fmt = 'Fixed IP address %(address)s is invalid.'


class FixedIpAlreadyInUse(NovaException):
    msg_fmt = 'Fixed IP address %(address)s is already in use on instance %(instance_uuid)s.'


class FixedIpNotFoundForSpecificInstance(NotFound):
    msg_fmt = "Instance %(instance_uuid)s doesn't have fixed IP '%(ip)s'."


class NoMoreFixedIps(NovaException):
    msg_fmt = 'No fixed IP addresses available for network: %(net)s'


class NoMoreNetworks(NovaException):
    msg_fmt = 'No more available networks.'


class FloatingIpNotFound(NotFound):
    msg_fmt = 'Floating IP not found for ID %(id)s.'


class FloatingIpNotFoundForAddress(FloatingIpNotFound):
    msg_fmt = 'Floating IP not found for address %(address)s.'


class FloatingIpPoolNotFound(NotFound):
    msg_fmt = 'Floating IP pool not found.'


class NoMoreFloatingIps(FloatingIpNotFound):
    msg_fmt = 'Zero floating IPs available.'


class FloatingIpAssociated(NovaException):
    msg_fmt = 'Floating IP %(address)s is associated.'


class FloatingIpNotAssociated(NovaException):
    msg_fmt = 'Floating IP %(address)s is not associated.'


class VirtualInterfaceCreateException(NovaException):
    msg_fmt = 'Virtual Interface creation failed'


class FloatingIpLimitExceeded(NovaException):
    msg_fmt = 'Maximum number of floating IPs exceeded'
    code = 403


NAMES = [name for name, value in list(globals().items())
         if isinstance(value, type) and issubclass(value, NovaException)]

if _nova is not None:  # pragma: no cover
    for _name in NAMES:
        if hasattr(_nova, _name):
            globals()[_name] = getattr(_nova, _name)
