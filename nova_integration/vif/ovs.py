"""Open vSwitch VIF drivers: the tap straight on the integration bridge, or the hybrid way.

Plain: the tap is a port of the VIF's network bridge (br-int) and its Interface row carries
the external_ids the L2 agent looks for (iface-id = the port id, attached-mac, vm-uuid,
iface-status). Hybrid: the tap sits on a per-port Linux bridge qbr<id>, which a veth
qvb<id>/qvo<id> joins to br-int; the qvo end carries the external_ids. The Linux bridge is
there so iptables can filter the instance's traffic (OVS ports bypass netfilter).
"""

from netmgr.agent.linux import bridge_lib
from netmgr.agent.linux import ovs_lib
from netmgr import devnames
from nova_integration.vif import base

DEFAULT_BRIDGE = 'br-int'


class _OvsDriverBase(base.VifDriver):
    @property
    def ovsdb(self):
        if self._ovsdb is None:
            self._ovsdb = ovs_lib.OVSDB(executor=self.executor)
        return self._ovsdb

    @staticmethod
    def bridge_name(vif):
        return (vif.get('network') or {}).get('bridge') or DEFAULT_BRIDGE

    @staticmethod
    def external_ids(vif, instance):
        return {'iface-id': base.vif_port_id(vif), 'attached-mac': vif['address'],
                'vm-uuid': instance.uuid, 'iface-status': 'active'}

    def attach(self, vif, instance, port):
        """Put ``port`` on the VIF's bridge with the external_ids, in one OVSDB transaction.
        An existing port is updated in place (the agent's tag on it is kept)."""
        bridge = self.ovsdb.bridge(self.bridge_name(vif))
        bridge.add_port(port, external_ids=self.external_ids(vif, instance))

    def detach(self, port):
        # From whichever bridge holds it: the VIF's bridge may have changed since plugging.
        self.ovsdb.run([self.ovsdb.api.del_port(port, if_exists=True)])


class OvsVifDriver(_OvsDriverBase):
    """The tap directly on br-int (libvirt adds it itself, given the virtualport)."""

    def _plug(self, vif, instance):
        tap = self.ensure_instance_tap(vif, instance)
        self.attach(vif, instance, tap)

    def _unplug(self, vif, instance):
        self.detach(base.vif_devname(vif))
        self.remove_instance_tap(vif, instance)

    def config_xml(self, vif):
        return self._xml(vif, self.bridge_name(vif), ovs_interfaceid=base.vif_port_id(vif))


class OvsHybridVifDriver(_OvsDriverBase):
    """tap -> qbr<id> (Linux bridge) -> qvb<id> ~ qvo<id> -> br-int."""

    @staticmethod
    def device_names(vif):
        port_id = vif['id']
        return (devnames.hybrid_bridge_name(port_id), devnames.hybrid_bridge_end_name(port_id),
                devnames.hybrid_ovs_end_name(port_id))

    def _plug(self, vif, instance):
        qbr, qvb, qvo = self.device_names(vif)
        mtu = self.mtu(vif)
        bridge = bridge_lib.LinuxBridge(qbr).create(mtu=mtu)
        self.ensure_veth_pair(qvb, qvo, mtu)
        bridge.add_interface(qvb)
        self.attach(vif, instance, qvo)
        tap = self.ensure_instance_tap(vif, instance)
        if instance.namespace is not None:
            bridge.add_interface(tap)

    def _unplug(self, vif, instance):
        qbr, qvb, qvo = self.device_names(vif)
        self.detach(qvo)
        self.remove_instance_tap(vif, instance)
        base.delete_device(qvb)          # takes qvo with it
        base.delete_device(qvo)
        bridge_lib.LinuxBridge(qbr).delete()

    def config_xml(self, vif):
        return self._xml(vif, self.device_names(vif)[0])
