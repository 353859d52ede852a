"""subnets"""

from netmgr.api import converters
from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import common

RESOURCE = 'subnet'
COLLECTION = 'subnets'

RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: dict(
        common.standard_attrs(),
        network_id={'allow_post': True, 'allow_put': False, 'validate': {'type:uuid': None},
                    'required_by_policy': True, 'is_visible': True, 'is_filter': True,
                    'is_sort_key': True},
        ip_version={'allow_post': True, 'allow_put': False,
                    'convert_to': converters.convert_to_int,
                    'validate': {'type:values': [4, 6]}, 'is_visible': True,
                    'is_filter': True, 'is_sort_key': True},
        cidr={'allow_post': True, 'allow_put': False, 'validate': {'type:subnet': None},
              'is_visible': True, 'is_filter': True, 'is_sort_key': True},
        gateway_ip={'allow_post': True, 'allow_put': True, 'default': ATTR_NOT_SPECIFIED,
                    'validate': {'type:ip_address_or_none': None}, 'is_visible': True,
                    'is_filter': True, 'is_sort_key': True},
        allocation_pools={'allow_post': True, 'allow_put': True,
                          'default': ATTR_NOT_SPECIFIED,
                          'validate': {'type:ip_pools': None}, 'is_visible': True},
        dns_nameservers={'allow_post': True, 'allow_put': True,
                         'convert_to': converters.convert_none_to_empty_list,
                         'default': ATTR_NOT_SPECIFIED,
                         'validate': {'type:nameservers': None}, 'is_visible': True},
        host_routes={'allow_post': True, 'allow_put': True,
                     'convert_to': converters.convert_none_to_empty_list,
                     'default': ATTR_NOT_SPECIFIED,
                     'validate': {'type:hostroutes': None}, 'is_visible': True},
        enable_dhcp={'allow_post': True, 'allow_put': True, 'default': True,
                     'convert_to': converters.convert_to_boolean,
                     'validate': {'type:boolean': None}, 'is_visible': True,
                     'is_filter': True, 'is_sort_key': True},
        ipv6_ra_mode={'allow_post': True, 'allow_put': False, 'default': None,
                      'validate': {'type:ipv6_mode': None}, 'is_visible': True,
                      'is_filter': True},
        ipv6_address_mode={'allow_post': True, 'allow_put': False, 'default': None,
                           'validate': {'type:ipv6_mode': None}, 'is_visible': True,
                           'is_filter': True},
    ),
}
