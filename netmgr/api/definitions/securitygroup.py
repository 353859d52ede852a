"""security-group: security groups (URL security-groups), and a port's security_groups."""

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import common
from netmgr.api import converters

ALIAS = 'security-group'
RESOURCE = 'security_group'
COLLECTION = 'security_groups'
PATH = 'security-groups'            # the collection's name in URLs (bodies use COLLECTION)
SECURITYGROUPS = 'security_groups'  # the port attribute

EXTENSION = {'alias': ALIAS, 'name': 'security-group',
             'description': 'The security groups extension.'}

RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: dict(
        common.standard_attrs(),
        security_group_rules={'allow_post': False, 'allow_put': False, 'is_visible': True},
    ),
}

EXTENDED_ATTRIBUTES = {
    'ports': {
        SECURITYGROUPS: {'allow_post': True, 'allow_put': True,
                         'default': ATTR_NOT_SPECIFIED,
                         'convert_to': converters.convert_uuid_list, 'is_visible': True},
    },
}
