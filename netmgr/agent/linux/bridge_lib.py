"""Linux (kernel) bridges over netlink: create, delete, enslave and release devices.

Used for the per-port ``qbr`` bridges of hybrid OVS plugging and the Linux bridge agent's
``brq`` bridges, with the VXLAN devices and flooding (fdb) entries that join the latter.
Errors come out as ip_lib's (NetlinkOperationError, NetworkDeviceNotFound).
"""

from netmgr.agent.linux import ip_lib


class LinuxBridge:
    """One Linux bridge, by name, in one namespace (None: the agent's own)."""

    def __init__(self, name, namespace=None):
        self.name = name
        self.namespace = namespace
        self.device = ip_lib.IPDevice(name, namespace)

    def __repr__(self):
        return 'LinuxBridge(%r, namespace=%r)' % (self.name, self.namespace)

    def exists(self):
        return any(link['name'] == self.name and link['kind'] == 'bridge'
                   for link in ip_lib.list_links(self.namespace))

    def create(self, mtu=None):
        """Create the bridge (no-op if it is there), without STP or forwarding delay, up."""
        if not self.device.exists():
            with ip_lib._iproute(self.namespace) as ipr, \
                    ip_lib._netlink('bridge add %s' % self.name):
                ipr.link('add', ifname=self.name, kind='bridge', br_stp_state=0,
                         br_forward_delay=0)
        if mtu:
            self.device.set_mtu(mtu)
        self.device.set_up()
        return self

    def delete(self):
        """Remove the bridge if it exists; its member devices stay, released."""
        self.device.delete(if_exists=True)

    def add_interface(self, interface):
        """Enslave device ``interface`` (same namespace) to this bridge; no-op if it is."""
        with ip_lib._iproute(self.namespace) as ipr:
            bridge_index = self.device._index(ipr)
            index = ip_lib.IPDevice(interface, self.namespace)._index(ipr)
            if ipr.get_links(index)[0].get('IFLA_MASTER') == bridge_index:
                return
            with ip_lib._netlink('link set %s master %s' % (interface, self.name)):
                ipr.link('set', index=index, master=bridge_index)

    def delete_interface(self, interface):
        """Release ``interface`` from this bridge; no-op if it is absent or not a member."""
        with ip_lib._iproute(self.namespace) as ipr:
            found = ipr.link_lookup(ifname=interface)
            if not found or interface not in self._members(ipr):
                return
            with ip_lib._netlink('link set %s nomaster' % interface):
                ipr.link('set', index=found[0], master=0)

    def interfaces(self):
        """Names of the devices enslaved to this bridge (sorted); [] if it does not exist."""
        with ip_lib._iproute(self.namespace) as ipr:
            return self._members(ipr)

    def _members(self, ipr):
        found = ipr.link_lookup(ifname=self.name)
        if not found:
            return []
        return sorted(msg.get('IFLA_IFNAME') for msg in ipr.get_links()
                      if msg.get('IFLA_MASTER') == found[0])


# ---- VXLAN devices and their forwarding entries ----------------------------------------------

VXLAN_KIND = 'vxlan'        # the kernel's link kind


def add_vxlan(name, vni, local_ip, port=4789, namespace=None):
    """A VXLAN device for ``vni`` from ``local_ip`` without multicast group: it floods to the
    destinations of its all-zero fdb entries (see ``add_flood_entry``) and learns the rest.
    No-op if ``name`` exists."""
    if ip_lib.IPDevice(name, namespace).exists():
        return ip_lib.IPDevice(name, namespace)
    with ip_lib._iproute(namespace) as ipr, ip_lib._netlink('vxlan add %s id %s' % (name, vni)):
        ipr.link('add', ifname=name, kind=VXLAN_KIND, vxlan_id=int(vni), vxlan_local=local_ip,
                 vxlan_port=int(port), vxlan_learning=1)
    return ip_lib.IPDevice(name, namespace)


FLOOD_MAC = '00:00:00:00:00:00'


def add_flood_entry(device, destination, namespace=None):
    """``bridge fdb append 00:00:00:00:00:00 dev DEVICE dst DESTINATION`` (idempotent):
    broadcast and unknown unicast of a VXLAN device also go to ``destination``."""
    with ip_lib._iproute(namespace) as ipr:
        index = ip_lib.IPDevice(device, namespace)._index(ipr)
        with ip_lib._netlink('fdb append %s dst %s' % (device, destination)):
            ipr.fdb('append', ifindex=index, lladdr=FLOOD_MAC, dst=destination)


def delete_flood_entry(device, destination, namespace=None):
    with ip_lib._iproute(namespace) as ipr:
        index = ip_lib.IPDevice(device, namespace)._index(ipr)
        with ip_lib._netlink('fdb del %s dst %s' % (device, destination)):
            ipr.fdb('del', ifindex=index, lladdr=FLOOD_MAC, dst=destination)


def flood_entries(device, namespace=None):
    """Destinations of the all-zero fdb entries of ``device`` (sorted)."""
    with ip_lib._iproute(namespace) as ipr:
        index = ip_lib.IPDevice(device, namespace)._index(ipr)
        with ip_lib._netlink('fdb show dev %s' % device):
            msgs = ipr.fdb('dump', ifindex=index)
            return sorted(m.get('NDA_DST') for m in msgs
                          if m.get('NDA_LLADDR') == FLOOD_MAC and m['ifindex'] == index
                          and m.get('NDA_DST'))
