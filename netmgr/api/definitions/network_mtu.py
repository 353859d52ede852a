"""net-mtu: ``mtu`` on networks, read only: the largest IP packet the network carries, from
``global_physnet_mtu`` less the encapsulation overhead of its segment type (Nova sets its
instances' interfaces to it)."""

ALIAS = 'net-mtu'
MTU = 'mtu'

EXTENSION = {'alias': ALIAS, 'name': 'Network MTU',
             'description': 'Provides MTU attribute for a network resource.'}

EXTENDED_ATTRIBUTES = {
    'networks': {
        MTU: {'allow_post': False, 'allow_put': False, 'is_visible': True},
    },
}
