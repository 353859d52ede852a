"""allowed-address-pairs: further (IP or CIDR, MAC) pairs a port may send from."""

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api import converters

ALIAS = 'allowed-address-pairs'
ADDRESS_PAIRS = 'allowed_address_pairs'

EXTENSION = {'alias': ALIAS, 'name': 'Allowed Address Pairs',
             'description': 'Provides allowed address pairs'}

EXTENDED_ATTRIBUTES = {
    'ports': {
        ADDRESS_PAIRS: {'allow_post': True, 'allow_put': True,
                        'default': ATTR_NOT_SPECIFIED,
                        'convert_to': converters.convert_address_pairs,
                        'is_visible': True, 'enforce_policy': True},
    },
}
