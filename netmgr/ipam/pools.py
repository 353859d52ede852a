"""Allocation pool arithmetic: defaults and validation (pure functions, no database)."""

import netaddr

from netmgr import exceptions


def usable_range(cidr):
    """First and last address a host may use: not the network (v4 and v6 subnet-router
    anycast) and not the v4 broadcast."""
    first = cidr.first + 1 if cidr.size > 1 else cidr.first
    last = cidr.last
    if cidr.version == 4 and cidr.size > 2:
        last -= 1
    return netaddr.IPAddress(first, cidr.version), netaddr.IPAddress(last, cidr.version)


def default_gateway(cidr):
    first, last = usable_range(cidr)
    return first if first <= last and cidr.size > 2 else None


def default_pools(cidr, gateway_ip):
    """The CIDR minus network, broadcast and gateway, as IPRanges."""
    first, last = usable_range(cidr)
    if first > last:
        return ()
    usable = netaddr.IPSet(netaddr.IPRange(first, last))
    if gateway_ip is not None:
        usable.remove(gateway_ip)
    return tuple(usable.iter_ipranges())


def parse_pools(pools, cidr):
    """Turn API dicts {'start', 'end'} into IPRanges, checking each against the CIDR."""
    ranges = []
    for pool in pools:
        label = '%s-%s' % (pool['start'], pool['end'])
        start = netaddr.IPAddress(pool['start'])
        end = netaddr.IPAddress(pool['end'])
        if start.version != cidr.version or end.version != cidr.version or start > end:
            raise exceptions.InvalidAllocationPool(pool=label)
        if start not in cidr or end not in cidr:
            raise exceptions.OutOfBoundsAllocationPool(pool=label, subnet_cidr=str(cidr))
        first, last = usable_range(cidr)
        if start < first or end > last:
            # The network or broadcast address cannot be handed out.
            raise exceptions.InvalidAllocationPool(pool=label)
        ranges.append(netaddr.IPRange(start, end))
    return tuple(ranges)


def validate_pools(ranges, cidr, gateway_ip):
    ordered = sorted(ranges, key=lambda r: r.first)
    for left, right in zip(ordered, ordered[1:]):
        if right.first <= left.last:
            raise exceptions.OverlappingAllocationPools(
                pool_1=str(left), pool_2=str(right), subnet_cidr=str(cidr))
    if gateway_ip is not None:
        for pool in ranges:
            if gateway_ip in pool:
                raise exceptions.GatewayConflictWithAllocationPools(
                    ip_address=str(gateway_ip), pool=str(pool))


def to_api(ranges):
    return [{'start': str(netaddr.IPAddress(r.first, r.version)),
             'end': str(netaddr.IPAddress(r.last, r.version))} for r in ranges]
