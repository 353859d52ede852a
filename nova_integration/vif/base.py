"""The VIF driver interface and what every driver shares.

A driver gets a VIF in Nova's network_info shape (nova_integration.nw_info.vif) and an
Instance. ``plug``/``unplug`` are idempotent and raise only VifPlugError, whatever failed
underneath (netlink, OVSDB, ethtool), so Nova-side callers handle one error type.

The instance: on a libvirt host, libvirt creates the tap itself and the driver prepares the
host side only. On the fake-virt hosts of the test lab an instance is a network namespace;
there the driver also makes the "tap": a veth whose host end has the tap name and whose other
end sits in the namespace as ``ethN``, carrying the VIF's MAC.
"""

import abc
import dataclasses

from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import ip_lib
from netmgr import devnames
from netmgr import exceptions
from nova_integration.vif import libvirt_xml

INSTANCE_IFNAME_PREFIX = 'eth'


@dataclasses.dataclass(frozen=True)
class Instance:
    uuid: str
    name: str = ''
    namespace: str = None       # the test lab's stand-in for a VM; None on a libvirt host


class VifDriver(abc.ABC):
    """Plugs one kind of VIF. Subclasses implement _plug, _unplug and config_xml."""

    def __init__(self, executor=None, ovsdb=None, disable_tx_checksum=True):
        self.executor = executor or agent_executor.Executor()
        self._ovsdb = ovsdb         # used by the OVS drivers only
        # veths on a userspace-datapath OVS bridge need TX checksum offload off on both ends
        # (DESIGN.md 4); on a kernel datapath it only costs a little CPU.
        self.disable_tx_checksum = disable_tx_checksum

    def plug(self, vif, instance):
        self._guard('plug', vif, self._plug, instance)

    def unplug(self, vif, instance):
        self._guard('unplug', vif, self._unplug, instance)

    @abc.abstractmethod
    def _plug(self, vif, instance):
        pass

    @abc.abstractmethod
    def _unplug(self, vif, instance):
        pass

    @abc.abstractmethod
    def config_xml(self, vif):
        """The libvirt <interface> element for this VIF, as a string."""

    def _guard(self, operation, vif, step, instance):
        try:
            step(vif, instance)
        except exceptions.VifPlugError:
            raise
        except Exception as exc:
            raise exceptions.VifPlugError(operation=operation, vif_id=vif.get('id'),
                                          driver=type(self).__name__,
                                          reason=str(exc).rstrip('.')) from exc

    # ---- shared pieces ---------------------------------------------------------------------

    @staticmethod
    def mtu(vif):
        return (vif.get('network') or {}).get('meta', {}).get('mtu')

    def _xml(self, vif, bridge, ovs_interfaceid=None):
        return libvirt_xml.interface(vif['address'], bridge, vif_devname(vif),
                                     ovs_interfaceid=ovs_interfaceid, mtu=self.mtu(vif))

    def prepare_veth(self, name, mtu):
        """A host-side veth end ready to join a bridge: offload set, MTU, up."""
        device = ip_lib.IPDevice(name)
        if self.disable_tx_checksum:
            device.disable_tx_checksum(self.executor)
        if mtu:
            device.set_mtu(mtu)
        device.set_up()
        return device

    def ensure_veth_pair(self, name, peer, mtu):
        """The host veth pair ``name``/``peer``, both up; remade if only one end is left."""
        if not (ip_lib.device_exists(name) and ip_lib.device_exists(peer)):
            delete_device(name)
            delete_device(peer)
            ip_lib.add_veth(name, peer)
        self.prepare_veth(name, mtu)
        self.prepare_veth(peer, mtu)

    def ensure_instance_tap(self, vif, instance):
        """In the lab, the tap: a veth from the host into the instance's namespace, the inner end
        an ``ethN`` with the VIF's MAC. Does nothing on a libvirt host. Returns the tap name."""
        tap = vif_devname(vif)
        if instance.namespace is None:
            return tap
        if not ip_lib.namespace_exists(instance.namespace):
            raise exceptions.NetworkNamespaceNotFound(namespace=instance.namespace)
        inner = instance_interface(vif, instance)
        if not (ip_lib.device_exists(tap) and inner is not None):
            delete_device(tap)
            inner = free_instance_ifname(instance.namespace)
            ip_lib.add_veth(tap, inner, peer_namespace=instance.namespace)
        inside = ip_lib.IPDevice(inner, instance.namespace)
        inside.set_address(vif['address'])
        if self.disable_tx_checksum:
            inside.disable_tx_checksum(self.executor)
        if self.mtu(vif):
            inside.set_mtu(self.mtu(vif))
        inside.set_up()
        self.prepare_veth(tap, self.mtu(vif))
        return tap

    def remove_instance_tap(self, vif, instance):
        # Deleting the host end takes the namespace end with it. On a libvirt host the tap is
        # libvirt's, so it is left alone there.
        if instance.namespace is not None:
            delete_device(vif_devname(vif))


def vif_devname(vif):
    return vif.get('devname') or devnames.tap_name(vif['id'])


def vif_port_id(vif):
    """The Neutron port id OVS knows the VIF by (its iface-id)."""
    return vif.get('ovs_interfaceid') or vif['id']


def delete_device(name):
    ip_lib.IPDevice(name).delete(if_exists=True)


def instance_interface(vif, instance):
    """The name of the device in the instance's namespace that has the VIF's MAC, or None."""
    mac = vif['address'].lower()
    for link in ip_lib.list_links(instance.namespace):
        if (link['address'] or '').lower() == mac and link['kind'] == 'veth':
            return link['name']
    return None


def free_instance_ifname(namespace):
    taken = set(ip_lib.list_devices(namespace))
    number = 0
    while '%s%d' % (INSTANCE_IFNAME_PREFIX, number) in taken:
        number += 1
    return '%s%d' % (INSTANCE_IFNAME_PREFIX, number)
