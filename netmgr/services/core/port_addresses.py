"""A port's MAC and fixed IPs: which subnets, which requests to the IPAM, what to release."""

import netaddr
import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models import core
from netmgr import exceptions
from netmgr.ipam import requests as ipam_requests

PORTS = core.Port.__table__
ALLOCS = core.IPAllocation.__table__


def _is_auto_address(subnet):
    return subnet.ip_version == 6 and subnet.ipv6_address_mode in const.IPV6_AUTO_ADDRESS_MODES


def _fixed_ip(subnet, address):
    return {'subnet_id': subnet.id, 'ip_address': str(address)}


class PortAddresses:
    def __init__(self, subnet_service, mac_generator, conf):
        self.subnets = subnet_service
        self.ipam = subnet_service.ipam
        self.macs = mac_generator
        self.conf = conf

    # ---- MAC -----------------------------------------------------------------------------

    def _mac_taken(self, session, network_id, mac):
        return session.execute(sa.select(PORTS.c.id).where(
            PORTS.c.network_id == network_id, PORTS.c.mac_address == mac)).first() is not None

    def choose_mac(self, session, network_id, requested):
        if isinstance(requested, str):
            mac = str(netaddr.EUI(requested, dialect=netaddr.mac_unix_expanded))
            if self._mac_taken(session, network_id, mac):
                raise exceptions.MacAddressInUse(net_id=network_id, mac=mac)
            return mac
        for _attempt in range(self.conf.mac_generation_retries):
            mac = self.macs.candidate()
            if not self._mac_taken(session, network_id, mac):
                return mac
        raise exceptions.MacAddressGenerationFailure(net_id=network_id)

    # ---- allocation ------------------------------------------------------------------------

    def allocate(self, session, network_id, port_id, mac, device_owner, fixed_ips):
        """fixed_ips None: one address per IP version plus every automatic IPv6 address.
        Returns the port's fixed_ips as the API shows them."""
        subnets = self.subnets.ipam_subnets(session, network_id)
        if fixed_ips is None:
            return self._allocate_defaults(session, network_id, port_id, mac, subnets)
        if len(fixed_ips) > self.conf.max_fixed_ips_per_port:
            raise exceptions.InvalidInput(
                error_message='Exceeded maximum amount of fixed ips per port')
        return [self._allocate_entry(session, network_id, port_id, mac, device_owner, subnets,
                                     entry) for entry in fixed_ips]

    def _allocate_defaults(self, session, network_id, port_id, mac, subnets):
        allocated = []
        for version in (const.IP_VERSION_4, const.IP_VERSION_6):
            candidates = [s for s in subnets
                          if s.ip_version == version and not _is_auto_address(s)]
            if not candidates:
                continue
            for subnet in candidates:
                try:
                    address = self.ipam.allocate(
                        session, ipam_requests.AnyAddressRequest(subnet), port_id)
                    allocated.append(_fixed_ip(subnet, address))
                    break
                except exceptions.IpAddressGenerationFailure:
                    continue
            else:
                raise exceptions.IpAddressGenerationFailure(net_id=network_id)
        for subnet in subnets:
            if _is_auto_address(subnet):
                address = self.ipam.allocate(
                    session, ipam_requests.AutomaticAddressRequest(subnet, mac), port_id)
                allocated.append(_fixed_ip(subnet, address))
        return allocated

    def _subnet_for(self, network_id, subnets, entry):
        if 'subnet_id' in entry:
            for subnet in subnets:
                if subnet.id == entry['subnet_id']:
                    if 'ip_address' in entry and \
                            netaddr.IPAddress(entry['ip_address']) not in subnet.cidr:
                        raise exceptions.InvalidIpForSubnet(ip_address=entry['ip_address'])
                    return subnet
            raise exceptions.InvalidInput(
                error_message='Failed to create port on network %s, because fixed_ips '
                              'included invalid subnet %s' % (network_id, entry['subnet_id']))
        address = netaddr.IPAddress(entry['ip_address'])
        for subnet in subnets:
            if address in subnet.cidr:
                return subnet
        raise exceptions.InvalidIpForNetwork(ip_address=entry['ip_address'])

    def _allocate_entry(self, session, network_id, port_id, mac, device_owner, subnets, entry):
        subnet = self._subnet_for(network_id, subnets, entry)
        if _is_auto_address(subnet) and not (
                'ip_address' in entry and device_owner in const.GATEWAY_OWNERS):
            if 'ip_address' in entry:
                raise exceptions.AllocationOnAutoAddressSubnet(ip=entry['ip_address'],
                                                               subnet_id=subnet.id)
            request = ipam_requests.AutomaticAddressRequest(subnet, mac)
        elif 'ip_address' in entry:
            request = ipam_requests.SpecificAddressRequest(
                subnet, netaddr.IPAddress(entry['ip_address']),
                may_take_gateway=device_owner in const.GATEWAY_OWNERS)
        else:
            request = ipam_requests.AnyAddressRequest(subnet)
        try:
            return _fixed_ip(subnet, self.ipam.allocate(session, request, port_id))
        except exceptions.IpAddressGenerationFailure:
            raise exceptions.IpAddressGenerationFailure(net_id=network_id)

    # ---- update and release ----------------------------------------------------------------

    def _current(self, session, port_id):
        # In subnet order, so that transactions releasing on several subnets take the
        # subnets' release locks in one order.
        return [(s, ip) for s, ip in session.execute(
            sa.select(ALLOCS.c.subnet_id, ALLOCS.c.ip_address)
            .where(ALLOCS.c.port_id == port_id).order_by(ALLOCS.c.subnet_id))]

    def update(self, session, port_row, fixed_ips, device_owner):
        """Keep what the new list still names, release the rest, allocate what is new."""
        if len(fixed_ips) > self.conf.max_fixed_ips_per_port:
            raise exceptions.InvalidInput(
                error_message='Exceeded maximum amount of fixed ips per port')
        network_id = port_row['network_id']
        subnets = self.subnets.ipam_subnets(session, network_id)
        remaining = self._current(session, port_row['id'])
        new_entries = []
        # Entries naming an address claim it first, so that a subnet-only entry cannot take
        # an address another entry names (Neutron matches in the same order).
        ordered = sorted(fixed_ips, key=lambda e: 'ip_address' not in e)
        for entry in ordered:
            subnet = self._subnet_for(network_id, subnets, entry)
            match = [(s, ip) for s, ip in remaining if s == subnet.id and (
                'ip_address' not in entry or
                netaddr.IPAddress(ip) == netaddr.IPAddress(entry['ip_address']))]
            if match:
                remaining.remove(match[0])
            else:
                new_entries.append(entry)
        by_id = {s.id: s for s in subnets}
        for subnet_id, address in remaining:
            # Automatic (SLAAC) addresses belong to the port while it is on the network.
            if not _is_auto_address(by_id[subnet_id]):
                self.ipam.release(session, by_id[subnet_id], netaddr.IPAddress(address))
        for entry in new_entries:
            self._allocate_entry(session, network_id, port_row['id'],
                                 port_row['mac_address'], device_owner, subnets, entry)

    def release_all(self, session, port_row):
        current = self._current(session, port_row['id'])
        if not current:
            return
        by_id = {s.id: s for s in self.subnets.ipam_subnets(session, port_row['network_id'])}
        for subnet_id, address in current:
            self.ipam.release(session, by_id[subnet_id], netaddr.IPAddress(address))
