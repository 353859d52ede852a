"""What a caller asks the IPAM for, and the subnet facts the IPAM needs to answer."""

import dataclasses

import netaddr


@dataclasses.dataclass(frozen=True)
class IpamSubnet:
    """The IPAM's view of a subnet (pure data, built by the core service)."""
    id: str
    network_id: str
    cidr: netaddr.IPNetwork
    gateway_ip: netaddr.IPAddress | None
    pools: tuple  # of netaddr.IPRange
    ipv6_address_mode: str | None = None

    @property
    def ip_version(self):
        return self.cidr.version


@dataclasses.dataclass(frozen=True)
class AnyAddressRequest:
    """The next free address of the subnet's pools."""
    subnet: IpamSubnet


@dataclasses.dataclass(frozen=True)
class SpecificAddressRequest:
    """One named address; it may lie outside the pools but must be inside the CIDR."""
    subnet: IpamSubnet
    address: netaddr.IPAddress
    may_take_gateway: bool = False


@dataclasses.dataclass(frozen=True)
class AutomaticAddressRequest:
    """An IPv6 address derived from the port's MAC (EUI-64, SLAAC and DHCPv6-stateless)."""
    subnet: IpamSubnet
    mac_address: str


@dataclasses.dataclass(frozen=True)
class IPPolicy:
    """Melange IP policy: addresses a subnet never hands out."""
    ranges: tuple = ()   # of netaddr.IPRange
    octets: frozenset = frozenset()  # last octets (IPv4 only)

    def excludes(self, address):
        if self.octets and address.version == 4 and int(address) & 0xff in self.octets:
            return True
        return any(address in r for r in self.ranges)
