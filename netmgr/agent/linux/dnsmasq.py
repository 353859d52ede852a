"""dnsmasq as the DHCP server of one network: its files, its command line, reloads.

The rendering functions are pure (subnet and port dicts in, text out). Each DHCP-enabled
subnet is a ``static`` dhcp-range tagged ``subnet-<id>``: dnsmasq only answers the MACs of
the hosts file, with the address the port has (as Neutron does). The options of a subnet are
written against its tag. A change of ports rewrites the hosts file and sends SIGHUP; dnsmasq
re-reads the hosts and opts files without dropping its leases.
"""

import ipaddress
import logging
import os
import shutil
import tempfile

from netmgr.agent.linux import process
from netmgr import constants as const
from netmgr import exceptions

LOG = logging.getLogger(__name__)

MAX_LEASES = 2 ** 24
IPV4_DEFAULT = '0.0.0.0/0'


# ---- pure rendering ------------------------------------------------------------------------

def serves(subnet):
    """True for the subnets dnsmasq hands addresses on: DHCP-enabled IPv4, and IPv6 with
    ipv6_address_mode dhcpv6-stateful."""
    if not subnet.get('enable_dhcp'):
        return False
    if subnet['ip_version'] == const.IP_VERSION_4:
        return True
    return subnet.get('ipv6_address_mode') == const.IPV6_DHCPV6_STATEFUL


def dhcp_subnets(subnets):
    return sorted((s for s in subnets if serves(s)), key=lambda s: s['id'])


def subnet_tag(subnet_id):
    return 'subnet-%s' % subnet_id


def host_name(ip_address):
    """Neutron's port host name: host-10-0-0-5, host-fd00--5."""
    return 'host-%s' % ip_address.replace('.', '-').replace(':', '-')


def lease_time(duration):
    return 'infinite' if duration == -1 else '%ds' % duration


def render_hosts(ports, subnets, domain=None):
    """The dhcp-hostsfile: one ``mac,name,ip`` line per address of a served subnet.

    No ``set:`` tag on the lines: the subnet's dhcp-range tags the client already, and
    dnsmasq 2.90 dies on SIGHUP when a line with a tag has a lease."""
    served = {s['id']: s for s in dhcp_subnets(subnets)}
    lines = []
    for port in sorted(ports, key=lambda p: p['id']):
        mac = port['mac_address']
        for fixed in port.get('fixed_ips') or ():
            subnet = served.get(fixed['subnet_id'])
            if subnet is None:
                continue
            address = fixed['ip_address']
            name = host_name(address)
            if domain:
                name = '%s.%s' % (name, domain)
            if subnet['ip_version'] == const.IP_VERSION_6:
                address = '[%s]' % address
            lines.append('%s,%s,%s' % (mac, name, address))
    return ''.join(line + '\n' for line in lines)


def _routes(subnet):
    """Classless static routes (option 121) of an IPv4 subnet: its host_routes, and the
    default route through the gateway, since a client that gets option 121 ignores the
    router option (RFC 3442)."""
    routes = [(r['destination'], r['nexthop']) for r in subnet.get('host_routes') or ()]
    if not routes:
        return []
    if subnet.get('gateway_ip') and not any(d == IPV4_DEFAULT for d, _ in routes):
        routes.append((IPV4_DEFAULT, subnet['gateway_ip']))
    return routes


def render_opts(subnets, dns_servers=(), mtu=None):
    """The dhcp-optsfile: router, DNS servers, classless routes (121 and Microsoft's 249)
    and MTU per served subnet. A subnet without gateway gets an empty router option, so
    dnsmasq does not offer its own address as the router."""
    lines = []
    for subnet in dhcp_subnets(subnets):
        tag = 'tag:' + subnet_tag(subnet['id'])
        servers = list(subnet.get('dns_nameservers') or ()) or list(dns_servers or ())
        if subnet['ip_version'] == const.IP_VERSION_6:
            servers = [s for s in servers if ipaddress.ip_address(s).version == 6]
            if servers:
                lines.append('%s,option6:dns-server,%s' % (
                    tag, ','.join('[%s]' % s for s in servers)))
            continue
        servers = [s for s in servers if ipaddress.ip_address(s).version == 4]
        if servers:
            lines.append('%s,option:dns-server,%s' % (tag, ','.join(servers)))
        routes = _routes(subnet)
        if routes:
            text = ','.join('%s,%s' % route for route in routes)
            lines.append('%s,option:classless-static-route,%s' % (tag, text))
            lines.append('%s,249,%s' % (tag, text))
        gateway = subnet.get('gateway_ip')
        lines.append('%s,option:router,%s' % (tag, gateway) if gateway
                     else '%s,option:router' % tag)
        if mtu:
            lines.append('%s,option:mtu,%d' % (tag, mtu))
    return ''.join(line + '\n' for line in lines)


def dhcp_ranges(subnets, lease_duration):
    ranges = []
    for subnet in dhcp_subnets(subnets):
        network = ipaddress.ip_network(subnet['cidr'])
        mask = (str(network.netmask) if network.version == 4 else str(network.prefixlen))
        ranges.append('set:%s,%s,static,%s,%s' % (
            subnet_tag(subnet['id']), network.network_address, mask,
            lease_time(lease_duration)))
    return ranges


def command_line(binary, interface, files, subnets, lease_duration, domain=None,
                 log_file=None, user=None):
    """dnsmasq's argv: DHCP only (no DNS: --port=0), bound to ``interface``, no config file
    of the host (/etc/dnsmasq.conf) read."""
    served = dhcp_subnets(subnets)
    lease_max = min(MAX_LEASES, sum(ipaddress.ip_network(s['cidr']).num_addresses
                                    for s in served if s['ip_version'] == 4) or 1)
    argv = [binary, '--conf-file=/dev/null', '--no-hosts', '--no-resolv', '--port=0',
            '--bind-interfaces', '--interface=%s' % interface, '--except-interface=lo',
            '--pid-file=%s' % files.pid, '--dhcp-hostsfile=%s' % files.hosts,
            '--dhcp-optsfile=%s' % files.opts, '--dhcp-leasefile=%s' % files.leases,
            '--dhcp-authoritative', '--dhcp-lease-max=%d' % lease_max]
    argv += ['--dhcp-range=%s' % r for r in dhcp_ranges(served, lease_duration)]
    if domain:
        argv.append('--domain=%s' % domain)
    if log_file:
        argv += ['--log-facility=%s' % log_file, '--log-dhcp']
    if user:
        argv.append('--user=%s' % user)
    return argv


# ---- files ----------------------------------------------------------------------------------

class Files:
    """The files of one network under ``directory`` (state_path/dhcp/<network-id>)."""

    def __init__(self, directory):
        self.directory = directory
        self.hosts = os.path.join(directory, 'host')
        self.opts = os.path.join(directory, 'opts')
        self.leases = os.path.join(directory, 'leases')
        self.pid = os.path.join(directory, 'pid')


def replace_file(path, text):
    """Write ``text`` to ``path`` atomically (rename); False when it already held it."""
    try:
        with open(path) as current:
            if current.read() == text:
                return False
    except FileNotFoundError:
        pass
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.tmp-')
    try:
        with os.fdopen(fd, 'w') as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True


class Dnsmasq:
    """The dnsmasq of one network in its namespace."""

    def __init__(self, executor, network_id, directory, namespace, binary='dnsmasq',
                 lease_duration=86400, domain=None, dns_servers=(), log_file=None,
                 user=None):
        self.executor = executor
        self.network_id = network_id
        self.files = Files(directory)
        self.namespace = namespace
        self.binary = binary
        self.lease_duration = lease_duration
        self.domain = domain
        self.dns_servers = list(dns_servers or ())
        self.log_file = log_file
        self.user = user
        self.process = process.ProcessManager(executor, network_id, self.files.pid, namespace)

    def write(self, ports, subnets, mtu=None):
        """Write the hosts and opts files; True when either changed."""
        os.makedirs(self.files.directory, exist_ok=True)
        hosts = replace_file(self.files.hosts, render_hosts(ports, subnets, self.domain))
        opts = replace_file(self.files.opts, render_opts(subnets, self.dns_servers, mtu))
        return hosts or opts

    def write_hosts(self, ports, subnets):
        return replace_file(self.files.hosts, render_hosts(ports, subnets, self.domain))

    def command(self, interface, subnets):
        return command_line(self.binary, interface, self.files, subnets,
                            self.lease_duration, self.domain, self.log_file, self.user)

    def enable(self, interface, subnets):
        """Start dnsmasq, or reload a running one whose command line is still right; one
        with another command line (subnets or device changed) is restarted."""
        cmd = self.command(interface, subnets)
        if self.log_file:
            os.makedirs(os.path.dirname(self.log_file), exist_ok=True)
        if self.process.active():
            if self.process.cmdline()[-len(cmd):] == cmd:
                self.process.reload()
                return 'reloaded'
            self.process.stop()
        self.process.spawn(cmd)
        return 'spawned'

    def active(self):
        return self.process.active()

    def reload(self):
        self.process.reload()

    def release_lease(self, interface, ip_address, mac_address):
        """Forget the lease of a removed port so its address can go to another MAC at once
        (IPv4; dhcp_release from dnsmasq-utils)."""
        if ipaddress.ip_address(ip_address).version != 4:
            return
        try:
            self.executor.execute(['dhcp_release', interface, ip_address, mac_address],
                                  namespace=self.namespace)
        except exceptions.ProcessExecutionError as exc:
            LOG.debug('dhcp_release %s %s: %s', ip_address, mac_address, exc)

    def disable(self, remove_files=True):
        self.process.stop()
        if remove_files:
            shutil.rmtree(self.files.directory, ignore_errors=True)
