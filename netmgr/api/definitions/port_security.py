"""port-security: port_security_enabled on networks (default True) and ports (default: the
network's value). Without it a port may have neither security groups nor address pairs."""

from netmgr.api import converters
from netmgr.api.definitions import ATTR_NOT_SPECIFIED

ALIAS = 'port-security'
PORTSECURITY = 'port_security_enabled'

EXTENSION = {'alias': ALIAS, 'name': 'Port Security',
             'description': 'Provides port security'}

EXTENDED_ATTRIBUTES = {
    'networks': {
        PORTSECURITY: {'allow_post': True, 'allow_put': True, 'default': True,
                       'convert_to': converters.convert_to_boolean,
                       'validate': {'type:boolean': None}, 'is_visible': True,
                       'enforce_policy': True, 'is_filter': True},
    },
    'ports': {
        PORTSECURITY: {'allow_post': True, 'allow_put': True,
                       'default': ATTR_NOT_SPECIFIED,
                       'convert_to': converters.convert_to_boolean,
                       'validate': {'type:boolean': None}, 'is_visible': True,
                       'enforce_policy': True, 'is_filter': True},
    },
}
