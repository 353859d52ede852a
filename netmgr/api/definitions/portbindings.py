"""binding: which host a port is bound to and how the hypervisor plugs it (Nova reads
binding:vif_type and binding:vif_details; admin only by default)."""

from netmgr import constants as const

ALIAS = 'binding'
HOST_ID = 'binding:host_id'
VIF_TYPE = 'binding:vif_type'
VIF_DETAILS = 'binding:vif_details'
VNIC_TYPE = 'binding:vnic_type'
PROFILE = 'binding:profile'

VIF_TYPE_UNBOUND = 'unbound'
VIF_TYPE_BINDING_FAILED = 'binding_failed'
VIF_TYPE_OVS = 'ovs'
VIF_TYPE_BRIDGE = 'bridge'
VNIC_NORMAL = 'normal'
VNIC_TYPES = ('normal', 'direct', 'macvtap', 'baremetal', 'direct-physical',
              'virtio-forwarder', 'smart-nic', 'vdpa', 'remote-managed')

EXTENSION = {'alias': ALIAS, 'name': 'Port Binding',
             'description': 'Expose port bindings of a virtual port to external application'}

EXTENDED_ATTRIBUTES = {
    'ports': {
        HOST_ID: {'allow_post': True, 'allow_put': True, 'default': '',
                  'validate': {'type:string_or_none': const.NAME_MAX_LEN},
                  'is_visible': True, 'enforce_policy': True, 'is_filter': True},
        VIF_TYPE: {'allow_post': False, 'allow_put': False, 'is_visible': True,
                   'enforce_policy': True},
        VIF_DETAILS: {'allow_post': False, 'allow_put': False, 'is_visible': True,
                      'enforce_policy': True},
        VNIC_TYPE: {'allow_post': True, 'allow_put': True, 'default': VNIC_NORMAL,
                    'validate': {'type:values': VNIC_TYPES}, 'is_visible': True,
                    'enforce_policy': True, 'is_filter': True},
        PROFILE: {'allow_post': True, 'allow_put': True, 'default': None,
                  'validate': {'type:dict_or_none': None}, 'is_visible': True,
                  'enforce_policy': True},
    },
}
