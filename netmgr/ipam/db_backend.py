"""Melange-grade IPAM on the database.

Free addresses are kept as availability ranges ([first, last] per subnet, keyed by a fixed-width
hex of the address so that text order is address order). Allocating takes the lowest range and
moves its start with a compare-and-swap UPDATE: one indexed SELECT, one UPDATE, one INSERT,
whatever the subnet size. Writers of one subnet queue on its row lock; a lost swap raises
RetryRequest and the whole API call is re-run; the primary key of ``ipallocations`` is the
last guard against handing out one address twice.
"""

import netaddr
import sqlalchemy as sa

from netmgr import exceptions
from netmgr.db.models import core as models
from netmgr.ipam import interface
from netmgr.ipam import requests

RANGES = models.AvailabilityRange.__table__
ALLOCS = models.IPAllocation.__table__
SUBNETS = models.Subnet.__table__
POLICY_RANGES = models.IPPolicyRange.__table__
POLICY_OCTETS = models.IPPolicyOctet.__table__


def key(address):
    return '%032x' % int(address)


def unkey(text, version):
    return netaddr.IPAddress(int(text, 16), version)


class DbIpamBackend(interface.IpamBackend):

    # ---- subnets and policies -----------------------------------------------------------

    def create_subnet(self, session, subnet, policy=None):
        policy = policy or requests.IPPolicy()
        self._store_policy(session, subnet.id, policy)
        self._write_ranges(session, subnet, self._free_set(subnet, policy, allocated=()))

    def update_subnet_pools(self, session, subnet):
        self._rebuild(session, subnet)

    def set_policy(self, session, subnet, policy):
        for address in self._allocated(session, subnet):
            if policy.excludes(address):
                raise exceptions.InvalidInput(
                    error_message='IP policy excludes %s, which is allocated' % address)
        session.execute(POLICY_RANGES.delete().where(POLICY_RANGES.c.subnet_id == subnet.id))
        session.execute(POLICY_OCTETS.delete().where(POLICY_OCTETS.c.subnet_id == subnet.id))
        self._store_policy(session, subnet.id, policy)
        self._rebuild(session, subnet)

    def get_policy(self, session, subnet_id):
        ranges = session.execute(
            sa.select(POLICY_RANGES.c.first_ip, POLICY_RANGES.c.last_ip)
            .where(POLICY_RANGES.c.subnet_id == subnet_id)).all()
        octets = session.execute(
            sa.select(POLICY_OCTETS.c.octet).where(POLICY_OCTETS.c.subnet_id == subnet_id))
        return requests.IPPolicy(ranges=tuple(netaddr.IPRange(f, l) for f, l in ranges),
                                 octets=frozenset(o for (o,) in octets))

    def count_free(self, session, subnet):
        policy = self.get_policy(session, subnet.id)
        octets = sorted(policy.octets) if subnet.ip_version == 4 else []

        def octet_hits_below(n):
            # How many values in [0, n) end in an excluded octet.
            return (n // 256) * len(octets) + sum(1 for o in octets if o < n % 256)

        total = 0
        for first, last in session.execute(
                sa.select(RANGES.c.first_key, RANGES.c.last_key)
                .where(RANGES.c.subnet_id == subnet.id)):
            a, b = int(first, 16), int(last, 16)
            total += (b - a + 1) - (octet_hits_below(b + 1) - octet_hits_below(a))
        return total

    @staticmethod
    def _octets(session, subnet):
        if subnet.ip_version != 4:
            return frozenset()
        return frozenset(o for (o,) in session.execute(
            sa.select(POLICY_OCTETS.c.octet).where(POLICY_OCTETS.c.subnet_id == subnet.id)))

    def _store_policy(self, session, subnet_id, policy):
        if policy.ranges:
            session.execute(POLICY_RANGES.insert(), [
                {'subnet_id': subnet_id,
                 'first_ip': str(netaddr.IPAddress(r.first, r.version)),
                 'last_ip': str(netaddr.IPAddress(r.last, r.version))} for r in policy.ranges])
        if policy.octets:
            session.execute(POLICY_OCTETS.insert(), [
                {'subnet_id': subnet_id, 'octet': o} for o in sorted(policy.octets)])

    def _allocated(self, session, subnet):
        rows = session.execute(sa.select(ALLOCS.c.ip_address)
                               .where(ALLOCS.c.subnet_id == subnet.id))
        return [netaddr.IPAddress(ip) for (ip,) in rows]

    @staticmethod
    def _free_set(subnet, policy, allocated):
        free = netaddr.IPSet()
        for pool in subnet.pools:
            free.add(pool)
        for excluded in policy.ranges:
            free.remove(excluded)
        for address in allocated:
            free.remove(address)
        return free

    def _rebuild(self, session, subnet):
        policy = self.get_policy(session, subnet.id)
        free = self._free_set(subnet, policy, self._allocated(session, subnet))
        session.execute(RANGES.delete().where(RANGES.c.subnet_id == subnet.id))
        self._write_ranges(session, subnet, free)

    @staticmethod
    def _write_ranges(session, subnet, free):
        rows = [{'subnet_id': subnet.id, 'first_key': key(r.first), 'last_key': key(r.last)}
                for r in free.iter_ipranges()]
        if rows:
            session.execute(RANGES.insert(), rows)

    # ---- allocation ----------------------------------------------------------------------

    def allocate(self, session, request, port_id):
        subnet = request.subnet
        if isinstance(request, requests.AnyAddressRequest):
            address = self._take_lowest(session, subnet)
        elif isinstance(request, requests.SpecificAddressRequest):
            address = self._take_specific(session, request)
        elif isinstance(request, requests.AutomaticAddressRequest):
            address = netaddr.EUI(request.mac_address).ipv6(subnet.cidr.first)
        else:
            raise TypeError('unknown address request %r' % (request,))
        # An address from the free ranges cannot be in use; any other must be checked so the
        # caller gets IpAddressInUse rather than a retried duplicate key.
        self._record(session, subnet, address, port_id,
                     check=not isinstance(request, requests.AnyAddressRequest))
        return address

    def _record(self, session, subnet, address, port_id, check=True):
        exists = check and session.execute(
            sa.select(ALLOCS.c.ip_address).where(ALLOCS.c.subnet_id == subnet.id,
                                                 ALLOCS.c.ip_address == str(address))).first()
        if exists:
            raise exceptions.IpAddressInUse(net_id=subnet.network_id, ip_address=str(address))
        session.execute(ALLOCS.insert().values(
            subnet_id=subnet.id, ip_address=str(address), port_id=port_id,
            network_id=subnet.network_id))

    def _take_lowest(self, session, subnet):
        policy = None
        _lock_subnet(session, subnet.id)
        while True:
            row = session.execute(
                sa.select(RANGES.c.first_key, RANGES.c.last_key)
                .where(RANGES.c.subnet_id == subnet.id)
                .order_by(RANGES.c.first_key).limit(1).with_for_update()).first()
            if row is None:
                raise exceptions.IpAddressGenerationFailure(net_id=subnet.network_id)
            first = int(row.first_key, 16)
            last = int(row.last_key, 16)
            if policy is None:
                # Policy ranges are already cut out of the free ranges; only octets remain.
                policy = requests.IPPolicy(octets=self._octets(session, subnet))
            chosen = first
            while chosen <= last and policy.excludes(
                    netaddr.IPAddress(chosen, subnet.ip_version)):
                chosen += 1
            self._shrink(session, subnet.id, row.first_key, row.last_key,
                         chosen + 1 if chosen < last else None)
            if chosen <= last:
                return netaddr.IPAddress(chosen, subnet.ip_version)

    @staticmethod
    def _shrink(session, subnet_id, first_key, last_key, new_first):
        """Move a range's start to new_first (None: drop the range), if nobody beat us to it."""
        match = (RANGES.c.subnet_id == subnet_id, RANGES.c.first_key == first_key,
                 RANGES.c.last_key == last_key)
        if new_first is None:
            result = session.execute(RANGES.delete().where(*match))
        else:
            result = session.execute(RANGES.update().where(*match)
                                     .values(first_key=key(new_first)))
        _expect_one(result, subnet_id)

    def _take_specific(self, session, request):
        subnet, address = request.subnet, request.address
        if address not in subnet.cidr or address.version != subnet.ip_version:
            raise exceptions.InvalidIpForSubnet(ip_address=str(address))
        if address == subnet.gateway_ip and not request.may_take_gateway:
            raise exceptions.IpAddressInUse(net_id=subnet.network_id, ip_address=str(address))
        first_usable = subnet.cidr.first + 1 if subnet.cidr.size > 1 else subnet.cidr.first
        last_usable = subnet.cidr.last - 1 if subnet.ip_version == 4 and subnet.cidr.size > 2 \
            else subnet.cidr.last
        if not first_usable <= int(address) <= last_usable:
            raise exceptions.InvalidIpForSubnet(ip_address=str(address))
        if self.get_policy(session, subnet.id).excludes(address):
            raise exceptions.InvalidIpForSubnet(ip_address=str(address))
        k = key(address)
        _lock_subnet(session, subnet.id)
        row = session.execute(
            sa.select(RANGES.c.first_key, RANGES.c.last_key)
            .where(RANGES.c.subnet_id == subnet.id, RANGES.c.first_key <= k)
            .order_by(RANGES.c.first_key.desc()).limit(1).with_for_update()).first()
        if row is None or row.last_key < k:
            return address  # outside the pools, or taken: _record decides
        self._split(session, subnet.id, row.first_key, row.last_key, int(address))
        return address

    def _split(self, session, subnet_id, first_key, last_key, value):
        first, last = int(first_key, 16), int(last_key, 16)
        if value == first:
            self._shrink(session, subnet_id, first_key, last_key,
                         value + 1 if value < last else None)
            return
        result = session.execute(
            RANGES.update().where(RANGES.c.subnet_id == subnet_id,
                                  RANGES.c.first_key == first_key,
                                  RANGES.c.last_key == last_key)
            .values(last_key=key(value - 1)))
        _expect_one(result, subnet_id)
        if value < last:
            session.execute(RANGES.insert().values(subnet_id=subnet_id,
                                                   first_key=key(value + 1), last_key=last_key))

    # ---- release -------------------------------------------------------------------------

    def release(self, session, subnet, address):
        deleted = session.execute(ALLOCS.delete().where(
            ALLOCS.c.subnet_id == subnet.id, ALLOCS.c.ip_address == str(address))).rowcount
        if not deleted or not any(address in pool for pool in subnet.pools):
            return
        if self.get_policy(session, subnet.id).excludes(address):
            return
        self._merge_back(session, subnet.id, int(address))

    @staticmethod
    def _merge_back(session, subnet_id, value):
        """Return one address to the ranges, joining the neighbours it touches.

        Like allocations, releases queue on the subnet's row lock and read ranges with
        locking reads (the latest committed rows, not a snapshot), so two releases of adjacent
        addresses join up instead of leaving fragments. Every write still names the exact
        range it read: should anything move it meanwhile, the write misses and the call retries.
        """
        _lock_subnet(session, subnet_id)
        left = session.execute(sa.select(RANGES.c.first_key).where(
            RANGES.c.subnet_id == subnet_id, RANGES.c.last_key == key(value - 1))
            .with_for_update()).first()
        right = session.execute(sa.select(RANGES.c.last_key).where(
            RANGES.c.subnet_id == subnet_id, RANGES.c.first_key == key(value + 1))
            .with_for_update()).first()
        if right is not None:
            _expect_one(session.execute(RANGES.delete().where(
                RANGES.c.subnet_id == subnet_id, RANGES.c.first_key == key(value + 1),
                RANGES.c.last_key == right.last_key)), subnet_id)
        new_last = right.last_key if right is not None else key(value)
        if left is not None:
            _expect_one(session.execute(RANGES.update().where(
                RANGES.c.subnet_id == subnet_id, RANGES.c.first_key == left.first_key,
                RANGES.c.last_key == key(value - 1)).values(last_key=new_last)), subnet_id)
        else:
            session.execute(RANGES.insert().values(subnet_id=subnet_id, first_key=key(value),
                                                   last_key=new_last))


def _lock_subnet(session, subnet_id):
    """Writers of one subnet's ranges take turns (a no-op on SQLite, whose writers already do).

    Queueing is cheaper than racing: every allocator wants the same lowest range, and losing a
    compare-and-swap means re-running the whole API call."""
    session.execute(sa.select(SUBNETS.c.id).where(SUBNETS.c.id == subnet_id).with_for_update())


def _expect_one(result, subnet_id):
    if result.rowcount != 1:
        raise exceptions.RetryRequest(reason='availability range of subnet %s changed'
                                      % subnet_id)
