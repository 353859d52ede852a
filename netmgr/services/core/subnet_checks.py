"""Subnet rules that need more than one attribute: CIDR vs version, overlaps, gateway,
DNS and host route limits. Each failure is a 4xx NetmgrException."""

import netaddr
import sqlalchemy as sa

from netmgr.db.models import core
from netmgr import exceptions

SUBNETS = core.Subnet.__table__
ALLOCS = core.IPAllocation.__table__
PORTS = core.Port.__table__


def _bad(msg):
    return exceptions.InvalidInput(error_message=msg)


def check_cidr(data):
    cidr = netaddr.IPNetwork(data['cidr'])
    if cidr.version != data['ip_version']:
        raise _bad('Cidr %s does not match ip_version %s' % (cidr, data['ip_version']))
    ra_mode, address_mode = data.get('ipv6_ra_mode'), data.get('ipv6_address_mode')
    if cidr.version == 4 and (ra_mode or address_mode):
        raise _bad('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set '
                   'to False or ip_version is 4')
    if ra_mode and address_mode and ra_mode != address_mode:
        raise _bad('ipv6_ra_mode set to %s with ipv6_address_mode set to %s is not valid. '
                   'If both attributes are set, they must be the same value'
                   % (ra_mode, address_mode))
    if cidr.version == 6 and address_mode in ('slaac', 'dhcpv6-stateless') \
            and cidr.prefixlen != 64:
        raise _bad('Invalid CIDR %s for IPv6 address mode. OpenStack uses the EUI-64 address '
                   'format, which requires the prefix to be /64' % cidr)
    return cidr


def check_overlap(session, conf, cidr, network_id):
    stmt = sa.select(SUBNETS.c.cidr, SUBNETS.c.network_id).where(
        SUBNETS.c.ip_version == cidr.version)
    if conf.allow_overlapping_ips:
        stmt = stmt.where(SUBNETS.c.network_id == network_id)
    for other, other_net in session.execute(stmt):
        other = netaddr.IPNetwork(other)
        if cidr.first <= other.last and other.first <= cidr.last:
            raise _bad('Requested subnet with cidr: %s for network: %s overlaps with another '
                       'subnet' % (cidr, network_id))


def check_gateway(cidr, gateway):
    if gateway.version != cidr.version:
        raise _bad('Gateway IP version inconsistent with allocation pool version')
    if gateway in cidr and (int(gateway) == cidr.first or
                            (cidr.version == 4 and cidr.size > 2
                             and int(gateway) == cidr.last)):
        raise _bad('Gateway is not valid on subnet')
    return gateway


def check_gateway_free(session, row, gateway):
    """A new gateway address must not be held by an ordinary port."""
    if gateway is None:
        return
    holder = session.execute(
        sa.select(PORTS.c.device_owner).join(ALLOCS, ALLOCS.c.port_id == PORTS.c.id)
        .where(ALLOCS.c.subnet_id == row['id'], ALLOCS.c.ip_address == str(gateway))).first()
    if holder is not None and not holder.device_owner.startswith('network:router'):
        raise exceptions.IpAddressInUse(net_id=row['network_id'], ip_address=str(gateway))


def check_dns_and_routes(conf, subnet_id, cidr, dns, routes):
    if len(dns) > conf.max_dns_nameservers:
        raise exceptions.DNSNameServersExhausted(subnet_id=subnet_id,
                                                 quota=conf.max_dns_nameservers)
    if len(routes) > conf.max_subnet_host_routes:
        raise exceptions.HostRoutesExhausted(subnet_id=subnet_id,
                                             quota=conf.max_subnet_host_routes)
    for route in routes:
        if netaddr.IPNetwork(route['destination']).version != cidr.version or \
                netaddr.IPAddress(route['nexthop']).version != cidr.version:
            raise _bad('Host route %s does not match the subnet IP version %s'
                       % (route, cidr.version))
