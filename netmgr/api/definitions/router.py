"""router: routers, their external gateway and the add/remove_router_interface actions."""

from netmgr.api import converters
from netmgr.api.definitions import common

ALIAS = 'router'
RESOURCE = 'router'
COLLECTION = 'routers'
EXTERNAL_GW_INFO = 'external_gateway_info'

EXTENSION = {'alias': ALIAS, 'name': 'Neutron L3 Router',
             'description': 'Router abstraction for basic L3 forwarding between L2 Neutron '
                            'networks and access to external networks via a NAT gateway.'}

ACTION_MAP = {'add_router_interface': 'PUT', 'remove_router_interface': 'PUT'}

RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: dict(
        common.standard_attrs(),
        admin_state_up=common.admin_state_attr(),
        status=common.status_attr(),
        external_gateway_info={'allow_post': True, 'allow_put': True, 'default': None,
                               'convert_to': converters.convert_external_gateway_info,
                               'validate': {'type:external_gw_info': None},
                               'is_visible': True, 'enforce_policy': True},
    ),
}
