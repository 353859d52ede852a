"""agent: the agents that report to this server (GET, PUT admin_state_up/description,
DELETE; agents create themselves through their state reports)."""

from netmgr.api import converters
from netmgr.api.definitions import common
from netmgr import constants as const

ALIAS = 'agent'
RESOURCE = 'agent'
COLLECTION = 'agents'

EXTENSION = {'alias': ALIAS, 'name': 'agent',
             'description': 'The agent management extension.'}


def _read_only(filterable=True):
    return {'allow_post': False, 'allow_put': False, 'is_visible': True,
            'is_filter': filterable, 'is_sort_key': filterable}


RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: {
        'id': common.id_attr(),
        'agent_type': _read_only(),
        'binary': _read_only(),
        'topic': _read_only(),
        'host': _read_only(),
        'admin_state_up': {'allow_post': False, 'allow_put': True,
                           'convert_to': converters.convert_to_boolean,
                           'validate': {'type:boolean': None}, 'is_visible': True,
                           'is_filter': True, 'is_sort_key': True},
        'created_at': _read_only(filterable=False),
        'started_at': _read_only(filterable=False),
        'heartbeat_timestamp': _read_only(filterable=False),
        'alive': {'allow_post': False, 'allow_put': False,
                  'convert_to': converters.convert_to_boolean, 'is_visible': True,
                  'is_filter': True},
        'configurations': _read_only(filterable=False),
        'availability_zone': _read_only(filterable=False),
        'description': {'allow_post': False, 'allow_put': True,
                        'validate': {'type:string_or_none': const.DESCRIPTION_MAX_LEN},
                        'is_visible': True, 'is_filter': True, 'is_sort_key': True},
    },
}
