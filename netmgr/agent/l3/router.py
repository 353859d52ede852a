"""One router on this host: its ``qrouter-<id>`` namespace, the ``qr-`` devices of its
interfaces, the ``qg-`` device of its gateway (with the floating IPs as /32 addresses, so the
namespace answers ARP for them), the default route and the nat rules.

``process(router)`` brings the namespace to what the router dict says, changing only what
differs (a second call with the same dict touches nothing); ``delete()`` removes it all.
"""

import ipaddress
import logging
import threading

from netmgr.agent.l3 import nat
from netmgr.agent.linux import iptables_manager
from netmgr.agent.linux import ip_lib
from netmgr import devnames
from netmgr import exceptions

LOG = logging.getLogger(__name__)

ROUTER_DEVICES = (devnames.ROUTER_INTERFACE, devnames.ROUTER_GATEWAY)
BINARY_NAME = 'netmgr-l3-agent'
FIP_ACTIVE = 'ACTIVE'
FIP_ERROR = 'ERROR'


def port_cidrs(port):
    """The port's fixed IPs with their subnets' prefix lengths: ['10.0.0.1/24', ...]."""
    prefixes = {s['id']: ipaddress.ip_network(s['cidr']).prefixlen
                for s in port.get('subnets') or ()}
    return ['%s/%d' % (ip['ip_address'], prefixes[ip['subnet_id']])
            for ip in port['fixed_ips'] if ip['subnet_id'] in prefixes]


def gateway_ip(port):
    """The external subnet's gateway (IPv4 first) the router's default route goes via."""
    gateways = [s['gateway_ip'] for s in port.get('subnets') or () if s.get('gateway_ip')]
    gateways.sort(key=lambda ip: ipaddress.ip_address(ip).version)
    return gateways[0] if gateways else None


def _snat_ip(port):
    ipv4 = [c.split('/')[0] for c in port_cidrs(port)
            if ipaddress.ip_interface(c).version == 4]
    return ipv4[0] if ipv4 else None


class Router:
    def __init__(self, router_id, driver, executor, external_bridge='', arp_count=0):
        self.router_id = router_id
        self.namespace = devnames.router_namespace(router_id)
        self.driver = driver
        self.executor = executor
        self.external_bridge = external_bridge or None
        self.arp_count = arp_count
        self.iptables = iptables_manager.IptablesManager(executor, self.namespace,
                                                         binary_name=BINARY_NAME,
                                                         tables=('nat',))
        self.devices = {}           # device name -> (port id, cidrs) as configured
        self.default_route = None   # (gateway ip, device)
        self.floating_ips = {}      # floating address -> fixed address
        self.fip_statuses = {}      # floating IP id -> status, as last computed
        self.interfaces = 0
        self._ready = False

    # ---- the namespace ---------------------------------------------------------------------

    def _ensure_namespace(self):
        if self._ready and ip_lib.namespace_exists(self.namespace):
            return
        ip_lib.create_namespace(self.namespace)
        ip_lib.enable_ip_forwarding(self.executor, self.namespace)
        self.devices, self.default_route, self.floating_ips = {}, None, {}
        self.iptables.mark_dirty()
        self._ready = True

    # ---- processing ------------------------------------------------------------------------

    def process(self, router):
        """Configure the router; returns {floating IP id: 'ACTIVE' | 'ERROR'}."""
        self._ensure_namespace()
        wanted = {}                 # device name -> (port, bridge)
        for port in router.get('_interfaces') or ():
            name = devnames.router_interface_name(port['id'])
            wanted[name] = (port, None)
        gw_port = router.get('gw_port')
        gw_device = None
        if gw_port:
            gw_device = devnames.router_gateway_name(gw_port['id'])
            wanted[gw_device] = (gw_port, self.external_bridge)
        fips = {f['floating_ip_address']: f['fixed_ip_address']
                for f in router.get('_floatingips') or () if f.get('fixed_ip_address')}
        # One netlink dump for the devices and addresses (each costs ~10 ms in a namespace).
        addresses = ip_lib.device_addresses(self.namespace, 4)
        present = {name for name in addresses
                   if name.startswith(ROUTER_DEVICES)}
        # Floating IPs on any gateway device now, whoever put them there (an earlier run of
        # the agent included): those not kept below lose their connections too.
        fips_before = {cidr.split('/')[0] for name in present
                       if name.startswith(devnames.ROUTER_GATEWAY)
                       for cidr in addresses[name] if cidr.endswith('/32')}
        for name in sorted(present - set(wanted)):
            self._unplug(name)
        plugged = set()
        for name, (port, bridge) in sorted(wanted.items()):
            if self._plug(name, port, bridge, fips if name == gw_device else {},
                          name in present):
                plugged.add(name)
        new_addresses, removed = [], []
        if gw_port:
            on_device = (['%s/32' % f for f in fips] if gw_device in plugged
                         else addresses.get(gw_device, []))
            new_addresses, removed = self._gateway(gw_device, gw_port, fips, on_device)
            if gw_device in plugged:
                new_addresses += sorted(self.floating_ips)
        else:
            self.default_route, self.floating_ips = None, {}
        internal_cidrs = sorted({s['cidr'] for port in router.get('_interfaces') or ()
                                 for s in port.get('subnets') or ()})
        rules = nat.router_rules(gw_device, _snat_ip(gw_port) if gw_port else None,
                                 internal_cidrs, router.get('enable_snat', True),
                                 self.floating_ips.items())
        with self.iptables.defer_apply():
            nat.apply_to(self.iptables.ipv4['nat'], rules)
        for address in sorted(set(removed) | (fips_before - set(self.floating_ips))):
            self._forget_connections(address)
        self.interfaces = len(router.get('_interfaces') or ())
        self.fip_statuses = {
            f['id']: FIP_ACTIVE if f['floating_ip_address'] in self.floating_ips else FIP_ERROR
            for f in router.get('_floatingips') or ()}
        if new_addresses and gw_device:
            self._announce(gw_device, new_addresses)
        return dict(self.fip_statuses)

    def _plug(self, name, port, bridge, floating_ips, present):
        """Plug and address the device unless it is already as wanted; True if done."""
        cidrs = port_cidrs(port)
        if present and self.devices.get(name) == (port['id'], cidrs):
            return False
        self.driver.plug(port['network_id'], port['id'], name, port['mac_address'],
                         namespace=self.namespace, bridge=bridge)
        # A gateway keeps its floating IPs' /32 addresses (an agent restart must not cut
        # their traffic); _gateway then adds and removes the ones that changed.
        self.driver.init_l3(name, cidrs + ['%s/32' % f for f in sorted(floating_ips)],
                            namespace=self.namespace)
        self.devices[name] = (port['id'], cidrs)
        LOG.info('router %s: %s plugged with %s', self.router_id, name, ', '.join(cidrs))
        return True

    def _unplug(self, name):
        bridge = self.external_bridge if name.startswith(devnames.ROUTER_GATEWAY) else None
        self.driver.unplug(name, namespace=self.namespace, bridge=bridge)
        self.devices.pop(name, None)
        if self.default_route and self.default_route[1] == name:
            self.default_route = None
        LOG.info('router %s: %s unplugged', self.router_id, name)

    def _gateway(self, device, port, fips, on_device):
        """Default route and floating IP addresses on ``device`` (which has the IPv4
        addresses ``on_device`` now); returns (addresses that are new, to announce; floating
        IPs removed)."""
        new = []
        gateway = gateway_ip(port)
        if gateway and self.default_route != (gateway, device):
            ip_lib.set_default_route(gateway, device=device, namespace=self.namespace)
            self.default_route = (gateway, device)
            new.append(_snat_ip(port))
        ip_device = ip_lib.IPDevice(device, self.namespace)
        own = set(self.devices[device][1])
        present = {a for a in on_device if a not in own}
        wanted = {'%s/32' % address for address in fips}
        removed = []
        for cidr in sorted(present - wanted):
            ip_device.delete_address(cidr)
            removed.append(cidr.split('/')[0])
        configured = {}
        for address, fixed in sorted(fips.items()):
            cidr = '%s/32' % address
            if cidr not in present:
                try:
                    ip_device.add_address(cidr)
                except exceptions.NetmgrException as exc:
                    LOG.warning('router %s: floating IP %s not added: %s', self.router_id,
                                address, exc)
                    continue
                new.append(address)
            configured[address] = fixed
        self.floating_ips = configured
        return [a for a in new if a], removed

    def _forget_connections(self, address):
        """Drop the conntrack entries of a floating IP that went away, so established
        connections stop with it (its DNAT would otherwise live on in them)."""
        for direction in ('-d', '-q'):
            try:
                self.executor.execute(['conntrack', '-D', direction, address],
                                      namespace=self.namespace, extra_ok_codes=(1,))
            except exceptions.ProcessExecutionError as exc:
                LOG.debug('conntrack entries of %s not deleted: %s', address, exc)

    def _announce(self, device, addresses):
        """Gratuitous ARP for new addresses, in the background (arping may be absent)."""
        if not self.arp_count:
            return
        thread = threading.Thread(target=self._arping, args=(device, list(addresses)),
                                  name='arping-%s' % device, daemon=True)
        thread.start()

    def _arping(self, device, addresses):
        for address in addresses:
            try:
                self.executor.execute(['arping', '-U', '-I', device, '-c', self.arp_count,
                                       address], namespace=self.namespace)
            except exceptions.ProcessExecutionError as exc:
                LOG.debug('gratuitous ARP for %s on %s not sent: %s', address, device, exc)
                return

    # ---- removal ---------------------------------------------------------------------------

    def delete(self):
        remove_namespace(self.namespace, self.driver, self.external_bridge)
        self.devices, self.default_route, self.floating_ips = {}, None, {}
        self.fip_statuses = {}
        self._ready = False


def remove_namespace(namespace, driver, external_bridge=None):
    """Unplug the router devices of ``namespace`` (their OVS ports go too), then delete it."""
    if not ip_lib.namespace_exists(namespace):
        return
    for name in ip_lib.list_devices(namespace):
        if name.startswith(devnames.ROUTER_INTERFACE):
            driver.unplug(name, namespace=namespace)
        elif name.startswith(devnames.ROUTER_GATEWAY):
            driver.unplug(name, namespace=namespace, bridge=external_bridge or None)
    ip_lib.delete_namespace(namespace)
    LOG.info('namespace %s removed', namespace)


def plugged_elsewhere(namespace, driver, external_bridge=None, empty_is_mine=True):
    """Whether a router device of ``namespace`` is plugged elsewhere: its peer is not in this
    agent's network namespace (another host's, when simulated hosts share one machine and so
    its namespace names) or is on a bridge this agent does not use (another L3 agent beside
    this one). Such a router is another agent's and is left alone. A namespace with no
    router device yet may be another agent's being set up: it counts as this agent's only
    when ``empty_is_mine`` (at start, to remove what an earlier run left)."""
    mine = {driver.integration_bridge, external_bridge or driver.integration_bridge}
    devices = [name for name in ip_lib.list_devices(namespace)
               if name.startswith(ROUTER_DEVICES)]
    if not devices:
        return not empty_is_mine
    for name in devices:
        peer = devnames.peer_name(name)
        if not ip_lib.device_exists(peer):
            return True
        bridge = driver.ovsdb.interface_bridge(peer)
        if bridge is not None and bridge not in mine:
            return True
    return False
