"""external-net: ``router:external`` on networks (admin sets it; every tenant sees them)."""

from netmgr.api import converters

ALIAS = 'external-net'
EXTERNAL = 'router:external'

EXTENSION = {'alias': ALIAS, 'name': 'Neutron external network',
             'description': 'Adds external network attribute to network resource.'}

EXTENDED_ATTRIBUTES = {
    'networks': {
        EXTERNAL: {'allow_post': True, 'allow_put': True, 'default': False,
                   'convert_to': converters.convert_to_boolean,
                   'validate': {'type:boolean': None}, 'is_visible': True,
                   'enforce_policy': True, 'is_filter': True},
    },
}
