"""provider: how a network is carried on the wire. Admins may choose it on create; only
admins see it (see the create_/update_/get_network:provider:* rules)."""

from netmgr.api import converters
from netmgr.api.definitions import ATTR_NOT_SPECIFIED

ALIAS = 'provider'
NETWORK_TYPE = 'provider:network_type'
PHYSICAL_NETWORK = 'provider:physical_network'
SEGMENTATION_ID = 'provider:segmentation_id'
ATTRIBUTES = (NETWORK_TYPE, PHYSICAL_NETWORK, SEGMENTATION_ID)

EXTENSION = {'alias': ALIAS, 'name': 'Provider Network',
             'description': 'Network type, physical network and segment of networks'}

# allow_put is True so that an update reaches the service and gets Neutron's answer (400,
# updating provider attributes is not supported) after the admin-only update rule.
EXTENDED_ATTRIBUTES = {
    'networks': {
        NETWORK_TYPE: {'allow_post': True, 'allow_put': True,
                       'default': ATTR_NOT_SPECIFIED,
                       'validate': {'type:string': 32}, 'is_visible': True,
                       'enforce_policy': True, 'is_filter': True},
        PHYSICAL_NETWORK: {'allow_post': True, 'allow_put': True,
                           'default': ATTR_NOT_SPECIFIED,
                           'validate': {'type:string': 64}, 'is_visible': True,
                           'enforce_policy': True, 'is_filter': True},
        SEGMENTATION_ID: {'allow_post': True, 'allow_put': True,
                          'default': ATTR_NOT_SPECIFIED,
                          'convert_to': converters.convert_to_int, 'is_visible': True,
                          'enforce_policy': True, 'is_filter': True},
    },
}
