"""Which driver plugs a VIF: chosen by its type (and, for OVS, its ovs_hybrid_plug detail).

An explicit table rather than entry points: the choice is part of the contract with the
server's port binding (binding:vif_type / vif_details), and a table needs no installed
package metadata to work from a source tree.
"""

from netmgr import exceptions
from nova_integration import nw_info
from nova_integration.vif import linuxbridge
from nova_integration.vif import ovs

OVS_HYBRID_PLUG = 'ovs_hybrid_plug'

DRIVERS = {
    'ovs': ovs.OvsVifDriver,
    'ovs_hybrid': ovs.OvsHybridVifDriver,
    'bridge': linuxbridge.LinuxBridgeVifDriver,
}


class UnsupportedVifType(exceptions.VifPlugError):
    message = 'VIF %(vif_id)s has type %(vif_type)s, which no VIF driver plugs.'


def driver_key(vif):
    vif_type = vif.get('type')
    if vif_type == nw_info.VIF_TYPE_OVS:
        if (vif.get('details') or {}).get(OVS_HYBRID_PLUG):
            return 'ovs_hybrid'
        return 'ovs'
    if vif_type == nw_info.VIF_TYPE_BRIDGE:
        return 'bridge'
    raise UnsupportedVifType(vif_id=vif.get('id'), vif_type=vif_type)


def driver_class(vif):
    return DRIVERS[driver_key(vif)]


def driver_for(vif, **kwargs):
    """A driver instance for ``vif``; ``kwargs`` go to its constructor (executor, ovsdb...)."""
    return driver_class(vif)(**kwargs)
