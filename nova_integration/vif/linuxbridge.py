"""The Linux bridge VIF driver: the tap on the network's bridge brq<net-id>.

The bridge belongs to the network, not to the port: plug creates it when the network says
``should_create_bridge`` (the Linux bridge agent may also have made it) and unplug leaves it,
other instances may still be on it.
"""

from netmgr.agent.linux import bridge_lib
from netmgr import exceptions
from nova_integration import nw_info
from nova_integration.vif import base


class LinuxBridgeVifDriver(base.VifDriver):

    @staticmethod
    def bridge_name(vif):
        network = vif.get('network') or {}
        return network.get('bridge') or nw_info.bridge_name(nw_info.VIF_TYPE_BRIDGE,
                                                            network['id'])

    def _plug(self, vif, instance):
        bridge = bridge_lib.LinuxBridge(self.bridge_name(vif))
        if vif['network'].get('meta', {}).get('should_create_bridge'):
            bridge.create(mtu=self.mtu(vif))
        elif not bridge.exists():
            raise exceptions.NetworkDeviceNotFound(device=bridge.name, namespace='(host)')
        tap = self.ensure_instance_tap(vif, instance)
        if instance.namespace is not None:
            bridge.add_interface(tap)

    def _unplug(self, vif, instance):
        self.remove_instance_tap(vif, instance)

    def config_xml(self, vif):
        return self._xml(vif, self.bridge_name(vif))
