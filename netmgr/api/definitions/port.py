"""ports"""

from netmgr.api import converters
from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import common
from netmgr import constants as const

RESOURCE = 'port'
COLLECTION = 'ports'

RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: dict(
        common.standard_attrs(),
        network_id={'allow_post': True, 'allow_put': False, 'validate': {'type:uuid': None},
                    'required_by_policy': True, 'is_visible': True, 'is_filter': True,
                    'is_sort_key': True},
        admin_state_up=common.admin_state_attr(),
        status=common.status_attr(),
        mac_address={'allow_post': True, 'allow_put': False, 'default': ATTR_NOT_SPECIFIED,
                     'validate': {'type:mac_address': None}, 'enforce_policy': True,
                     'is_visible': True, 'is_filter': True, 'is_sort_key': True},
        fixed_ips={'allow_post': True, 'allow_put': True, 'default': ATTR_NOT_SPECIFIED,
                   'convert_list_to': converters.convert_kvp_list_to_dict,
                   'validate': {'type:fixed_ips': None}, 'enforce_policy': True,
                   'is_visible': True, 'is_filter': True},
        device_id={'allow_post': True, 'allow_put': True, 'default': '',
                   'validate': {'type:string': const.DEVICE_ID_MAX_LEN},
                   'is_visible': True, 'is_filter': True, 'is_sort_key': True},
        device_owner={'allow_post': True, 'allow_put': True, 'default': '',
                      'validate': {'type:string': const.DEVICE_OWNER_MAX_LEN},
                      'enforce_policy': True, 'is_visible': True, 'is_filter': True,
                      'is_sort_key': True},
    ),
}
