"""networks"""

from netmgr.api import converters
from netmgr.api.definitions import common

RESOURCE = 'network'
COLLECTION = 'networks'

RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: dict(
        common.standard_attrs(),
        admin_state_up=common.admin_state_attr(),
        status=common.status_attr(),
        subnets={'allow_post': False, 'allow_put': False, 'default': [], 'is_visible': True},
        shared={'allow_post': True, 'allow_put': True, 'default': False,
                'convert_to': converters.convert_to_boolean,
                'validate': {'type:boolean': None}, 'is_visible': True,
                'required_by_policy': True, 'enforce_policy': True, 'is_filter': True,
                'is_sort_key': True},
    ),
}
