"""floatingips: addresses of an external network, mapped to a fixed IP behind a router.

The collection belongs to the 'router' extension (declared in definitions/router.py).
"""

from netmgr.api.definitions import common

EXTENSION = None
RESOURCE = 'floatingip'
COLLECTION = 'floatingips'

_STANDARD = common.standard_attrs()
del _STANDARD['name']  # floating IPs have no name

RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: dict(
        _STANDARD,
        floating_ip_address={'allow_post': True, 'allow_put': False, 'default': None,
                             'validate': {'type:ip_address_or_none': None},
                             'is_visible': True, 'is_filter': True, 'is_sort_key': True,
                             'enforce_policy': True},
        # Which external subnet to allocate from; not shown (as in Neutron).
        subnet_id={'allow_post': True, 'allow_put': False, 'default': None,
                   'validate': {'type:uuid_or_none': None}, 'is_visible': False},
        floating_network_id={'allow_post': True, 'allow_put': False,
                             'validate': {'type:uuid': None}, 'is_visible': True,
                             'is_filter': True, 'is_sort_key': True},
        router_id={'allow_post': False, 'allow_put': False, 'is_visible': True,
                   'is_filter': True},
        port_id={'allow_post': True, 'allow_put': True, 'default': None,
                 'validate': {'type:uuid_or_none': None}, 'is_visible': True,
                 'is_filter': True, 'required_by_policy': True},
        fixed_ip_address={'allow_post': True, 'allow_put': True, 'default': None,
                          'validate': {'type:ip_address_or_none': None}, 'is_visible': True,
                          'is_filter': True},
        # Not a sort key: an unassociated floating IP shows DOWN whatever its row holds.
        status={'allow_post': False, 'allow_put': False, 'is_visible': True,
                'is_filter': True},
    ),
}
