"""Namespaces, links, addresses, routes and neighbours over netlink (pyroute2), shaped like ip(8).

Every call names its namespace (None: the agent's own). Netlink errors become
NetlinkOperationError; a missing namespace or device has its own error, so callers can tell
"not there" from "refused". Things netlink does not do (sysctl, ethtool) go through the
executor, inside the namespace.
"""

import collections
import contextlib
import ipaddress
import logging
import select
import threading

import pyroute2
from pyroute2 import netns as pyroute2_netns
from pyroute2.netlink import exceptions as netlink_exceptions

from netmgr import exceptions

LOG = logging.getLogger(__name__)
NUD_PERMANENT = 0x80
Route = collections.namedtuple('Route', 'cidr via device table')
Neighbour = collections.namedtuple('Neighbour', 'ip_address mac_address device')


@contextlib.contextmanager
def _netlink(operation):
    try:
        yield
    except netlink_exceptions.NetlinkError as exc:
        raise exceptions.NetlinkOperationError(operation=operation, reason=exc) from exc


@contextlib.contextmanager
def _iproute(namespace):
    # IPRoute(netns=NAME) would create a missing namespace: refuse instead.
    if namespace and not namespace_exists(namespace):
        raise exceptions.NetworkNamespaceNotFound(namespace=namespace)
    with pyroute2.IPRoute(netns=namespace) if namespace else pyroute2.IPRoute() as ipr:
        yield ipr


def _family(address):
    return 10 if ipaddress.ip_address(address).version == 6 else 2


# ---- namespaces --------------------------------------------------------------------------

def list_namespaces():
    return sorted(pyroute2_netns.listnetns())


def namespace_exists(name):
    return name in pyroute2_netns.listnetns()


def create_namespace(name):
    """Create ``name`` (no-op if it exists) with its loopback up."""
    if not namespace_exists(name):
        with _netlink('netns add %s' % name):
            pyroute2_netns.create(name)
    IPDevice('lo', name).set_up()


def delete_namespace(name, if_exists=True):
    """Remove ``name``; its veths are deleted first so their peers vanish at once too."""
    if not namespace_exists(name):
        if if_exists:
            return
        raise exceptions.NetworkNamespaceNotFound(namespace=name)
    for link in list_links(name):
        if link['kind'] == 'veth':
            IPDevice(link['name'], name).delete(if_exists=True)
    with _netlink('netns delete %s' % name):
        pyroute2_netns.remove(name)


# ---- links -------------------------------------------------------------------------------

def _link_info(msg):
    return {'name': msg.get('IFLA_IFNAME'),
            'index': msg['index'],
            'mtu': msg.get('IFLA_MTU'),
            'address': msg.get('IFLA_ADDRESS'),
            'up': bool(msg['flags'] & 1),
            'kind': msg.get_nested('IFLA_LINKINFO', 'IFLA_INFO_KIND')}


def list_links(namespace=None):
    """[{'name', 'index', 'mtu', 'address', 'up', 'kind'}] of every device in the namespace."""
    with _iproute(namespace) as ipr, _netlink('link list'):
        return [_link_info(msg) for msg in ipr.get_links()]


def list_devices(namespace=None):
    return sorted(link['name'] for link in list_links(namespace))


def device_addresses(namespace=None, family=None):
    """{device name: ['10.0.0.2/24', ...]} of every device in the namespace, read in one
    netlink session (each session in a namespace costs ~10 ms); ``family`` 4 or 6 to filter."""
    with _iproute(namespace) as ipr, _netlink('addr show'):
        names = {msg['index']: msg.get('IFLA_IFNAME') for msg in ipr.get_links()}
        found = {name: [] for name in names.values()}
        for msg in ipr.get_addr():
            cidr = '%s/%d' % (msg.get('IFA_ADDRESS'), msg['prefixlen'])
            if family and ipaddress.ip_interface(cidr).version != family:
                continue
            found.setdefault(names.get(msg['index']), []).append(cidr)
    return found


def device_exists(name, namespace=None):
    return IPDevice(name, namespace).exists()


def add_veth(name, peer_name, namespace=None, peer_namespace=None):
    """Create the pair ``name`` (in ``namespace``) <-> ``peer_name`` (in ``peer_namespace``)."""
    peer = {'ifname': peer_name}
    if peer_namespace and peer_namespace != namespace:
        if not namespace_exists(peer_namespace):
            raise exceptions.NetworkNamespaceNotFound(namespace=peer_namespace)
        peer['net_ns_fd'] = peer_namespace
    with _iproute(namespace) as ipr, _netlink('veth add %s %s' % (name, peer_name)):
        ipr.link('add', ifname=name, kind='veth', peer=peer)
    return IPDevice(name, namespace), IPDevice(peer_name, peer_namespace or namespace)


class IPDevice:
    """One network device, by name, in one namespace (None: the agent's own)."""

    def __init__(self, name, namespace=None):
        self.name = name
        self.namespace = namespace

    def __repr__(self):
        return 'IPDevice(%r, namespace=%r)' % (self.name, self.namespace)

    def _index(self, ipr):
        found = ipr.link_lookup(ifname=self.name)
        if not found:
            raise exceptions.NetworkDeviceNotFound(device=self.name,
                                                   namespace=self.namespace or '(host)')
        return found[0]

    def _set(self, what, **attrs):
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('link set %s %s' % (self.name, what)):
                ipr.link('set', index=index, **attrs)

    def exists(self):
        if self.namespace and not namespace_exists(self.namespace):
            return False
        with _iproute(self.namespace) as ipr:
            return bool(ipr.link_lookup(ifname=self.name))

    def link(self):
        """{'name', 'index', 'mtu', 'address', 'up', 'kind'}."""
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('link show %s' % self.name):
                return _link_info(ipr.get_links(index)[0])

    def set_up(self):
        self._set('up', state='up')

    def set_down(self):
        self._set('down', state='down')

    def set_mtu(self, mtu):
        self._set('mtu %s' % mtu, mtu=int(mtu))

    def set_address(self, mac_address):
        self._set('address %s' % mac_address, address=mac_address)

    def set_namespace(self, namespace):
        """Move the device into ``namespace``; this object then follows it there."""
        if not namespace_exists(namespace):
            raise exceptions.NetworkNamespaceNotFound(namespace=namespace)
        self._set('netns %s' % namespace, net_ns_fd=namespace)
        self.namespace = namespace

    def delete(self, if_exists=False):
        with _iproute(self.namespace) as ipr:
            found = ipr.link_lookup(ifname=self.name)
            if not found:
                if if_exists:
                    return
                self._index(ipr)
            with _netlink('link delete %s' % self.name):
                ipr.link('del', index=found[0])

    # ---- addresses -----------------------------------------------------------------------

    def add_address(self, cidr):
        """Add ``cidr`` ('10.0.0.2/24' or an IPv6 one) to the device."""
        iface = ipaddress.ip_interface(cidr)
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('addr add %s dev %s' % (cidr, self.name)):
                ipr.addr('add', index=index, address=str(iface.ip),
                         prefixlen=iface.network.prefixlen, family=_family(str(iface.ip)))

    def delete_address(self, cidr):
        iface = ipaddress.ip_interface(cidr)
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('addr del %s dev %s' % (cidr, self.name)):
                ipr.addr('del', index=index, address=str(iface.ip),
                         prefixlen=iface.network.prefixlen, family=_family(str(iface.ip)))

    def list_addresses(self, family=None):
        """['10.0.0.2/24', ...]; ``family`` 4 or 6 to filter."""
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('addr show dev %s' % self.name):
                msgs = ipr.get_addr(index=index)
            found = ['%s/%d' % (msg.get('IFA_ADDRESS'), msg['prefixlen']) for msg in msgs]
        if family:
            found = [a for a in found if ipaddress.ip_interface(a).version == family]
        return found

    def flush_addresses(self, family=None):
        for cidr in self.list_addresses(family):
            self.delete_address(cidr)

    # ---- neighbours (static ARP/NDP entries) ----------------------------------------------

    def add_neighbour(self, ip_address, mac_address):
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('neigh replace %s dev %s' % (ip_address, self.name)):
                ipr.neigh('replace', dst=ip_address, lladdr=mac_address, ifindex=index,
                          state=NUD_PERMANENT, family=_family(ip_address))

    def delete_neighbour(self, ip_address):
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('neigh del %s dev %s' % (ip_address, self.name)):
                ipr.neigh('del', dst=ip_address, ifindex=index, family=_family(ip_address))

    def list_neighbours(self):
        with _iproute(self.namespace) as ipr:
            index = self._index(ipr)
            with _netlink('neigh show dev %s' % self.name):
                msgs = ipr.get_neighbours(ifindex=index)
            return [Neighbour(m.get('NDA_DST'), m.get('NDA_LLADDR'), self.name)
                    for m in msgs if m.get('NDA_LLADDR')]

    # ---- offloads --------------------------------------------------------------------------

    def disable_tx_checksum(self, executor):
        """``ethtool -K DEV tx off``: veths on a userspace OVS bridge need it (DESIGN.md 4)."""
        executor.execute(['ethtool', '-K', self.name, 'tx', 'off'], namespace=self.namespace)


# ---- routes --------------------------------------------------------------------------------

def _route_args(ipr, cidr, via, device, namespace):
    network = ipaddress.ip_network(cidr)
    args = {'dst': str(network), 'family': 10 if network.version == 6 else 2}
    if via:
        args['gateway'] = via
    if device:
        args['oif'] = IPDevice(device, namespace)._index(ipr)
    return args


def add_route(cidr, via=None, device=None, namespace=None):
    """``ip route replace CIDR [via GW] [dev DEV]`` (idempotent)."""
    with _iproute(namespace) as ipr:
        args = _route_args(ipr, cidr, via, device, namespace)
        with _netlink('route replace %s' % cidr):
            ipr.route('replace', **args)


def delete_route(cidr, via=None, device=None, namespace=None, if_exists=True):
    with _iproute(namespace) as ipr:
        args = _route_args(ipr, cidr, via, device, namespace)
        try:
            ipr.route('del', **args)
        except netlink_exceptions.NetlinkError as exc:
            if not (if_exists and exc.code == 3):      # ESRCH: no such route
                raise exceptions.NetlinkOperationError(operation='route del %s' % cidr,
                                                       reason=exc) from exc


def set_default_route(gateway, device=None, namespace=None):
    cidr = '::/0' if ipaddress.ip_address(gateway).version == 6 else '0.0.0.0/0'
    add_route(cidr, via=gateway, device=device, namespace=namespace)


def list_routes(namespace=None, version=4):
    """Routes of the main table: [Route(cidr, via, device, table)]."""
    with _iproute(namespace) as ipr, _netlink('route show'):
        names = {msg['index']: msg.get('IFLA_IFNAME') for msg in ipr.get_links()}
        msgs = ipr.get_routes(family=10 if version == 6 else 2, table=254)
        routes = []
        for msg in msgs:
            dst = msg.get('RTA_DST') or ('::' if version == 6 else '0.0.0.0')
            routes.append(Route('%s/%d' % (dst, msg['dst_len']), msg.get('RTA_GATEWAY'),
                                names.get(msg.get('RTA_OIF')), msg.get('RTA_TABLE')))
        return routes


def default_gateway(namespace=None, version=4):
    default = '::/0' if version == 6 else '0.0.0.0/0'
    return next((r.via for r in list_routes(namespace, version) if r.cidr == default), None)


# ---- sysctl --------------------------------------------------------------------------------

def set_sysctl(executor, key, value, namespace=None):
    """``sysctl -w key=value`` inside the namespace (net.* keys are per namespace)."""
    executor.execute(['sysctl', '-w', '%s=%s' % (key, value)], namespace=namespace)


def get_sysctl(executor, key, namespace=None):
    return executor.execute(['sysctl', '-n', key], namespace=namespace).strip()


def enable_ip_forwarding(executor, namespace, ipv6=False):
    set_sysctl(executor, 'net.ipv4.ip_forward', 1, namespace)
    if ipv6:
        set_sysctl(executor, 'net.ipv6.conf.all.forwarding', 1, namespace)


# ---- link events -----------------------------------------------------------------------------

class LinkMonitor:
    """Calls ``callback(device name)`` on its own thread whenever a device of the namespace is
    added, changed or removed (RTM_NEWLINK / RTM_DELLINK). Events only say "look again": a
    consumer lists the devices to know what is there."""

    def __init__(self, callback, namespace=None, wait=0.5):
        self.callback = callback
        self.namespace = namespace
        self.wait = wait
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name='link-monitor', daemon=True)
        self._ipr = None
        self._ready = threading.Event()
        self._error = None

    def start(self):
        """Start listening; returns once events are being received."""
        if self.namespace and not namespace_exists(self.namespace):
            raise exceptions.NetworkNamespaceNotFound(namespace=self.namespace)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(self.wait * 4)

    def _run(self):
        # pyroute2's socket serves the thread that made it: make it here
        try:
            self._ipr = (pyroute2.IPRoute(netns=self.namespace) if self.namespace
                         else pyroute2.IPRoute())
            with _netlink('monitor link'):
                self._ipr.bind()
        except Exception as exc:
            if self._ipr is not None:
                self._ipr.close()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([self._ipr.fileno()], [], [], self.wait)
                if not ready:
                    continue
                for msg in self._ipr.get():
                    if msg.get('event') in ('RTM_NEWLINK', 'RTM_DELLINK'):
                        self.callback(msg.get('IFLA_IFNAME'))
        except Exception as exc:        # the consumer's polling goes on without events
            LOG.warning('link monitor stopped: %s', exc)
        finally:
            self._ipr.close()
