"""subnets: CIDR, gateway, allocation pools, DNS and host routes; IPAM does the addresses."""

import netaddr
import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.ipam import pools as ipam_pools
from netmgr.ipam import requests as ipam_requests
from netmgr.services import interface
from netmgr.services import l2pop as l2pop_mod
from netmgr.services import notifier as notifier_mod
from netmgr.services import rows
from netmgr.services.core import subnet_checks

NETWORKS = core.Network.__table__
SUBNETS = core.Subnet.__table__
POOLS = core.AllocationPool.__table__
DNS = core.DNSNameServer.__table__
ROUTES = core.SubnetRoute.__table__
ALLOCS = core.IPAllocation.__table__
PORTS = core.Port.__table__
COLUMNS = ('id', 'tenant_id', 'network_id', 'name', 'description', 'ip_version', 'cidr',
           'gateway_ip', 'enable_dhcp', 'ipv6_ra_mode', 'ipv6_address_mode',
           'created_at', 'updated_at')
AUTO_DELETE_OWNERS = (const.DEVICE_OWNER_DHCP,)


def visible_subnets(context):
    """SQL condition equivalent to the default get_subnet rule."""
    if context.is_admin:
        return sa.true()
    shared_nets = sa.select(NETWORKS.c.id).where(NETWORKS.c.shared.is_(True))
    return sa.or_(SUBNETS.c.tenant_id == context.tenant_id,
                  SUBNETS.c.network_id.in_(shared_nets))


def ipam_subnet(row, pool_ranges):
    gateway = row['gateway_ip']
    return ipam_requests.IpamSubnet(
        id=row['id'], network_id=row['network_id'], cidr=netaddr.IPNetwork(row['cidr']),
        gateway_ip=netaddr.IPAddress(gateway) if gateway else None,
        pools=tuple(pool_ranges), ipv6_address_mode=row['ipv6_address_mode'])


class SubnetService(interface.ResourceService):
    collection = 'subnets'

    def __init__(self, db, ipam, conf, retries=20, quotas=None, notifier=None, l2pop=None):
        self.db = db
        self.notifier = notifier or notifier_mod.NullNotifier()
        self.l2pop = l2pop or l2pop_mod.L2Population(db)
        self.quotas = quotas
        self.ipam = ipam
        self.conf = conf
        self._write = db_api.RetriedWriter(db, retries)

    # ---- reads ---------------------------------------------------------------------------

    def not_found(self, resource_id):
        return exceptions.SubnetNotFound(subnet_id=resource_id)

    @staticmethod
    def _pools(session, subnet_ids):
        pools = {}
        for sid, first, last in session.execute(
                sa.select(POOLS.c.subnet_id, POOLS.c.first_ip, POOLS.c.last_ip)
                .where(POOLS.c.subnet_id.in_(subnet_ids))):
            pools.setdefault(sid, []).append(netaddr.IPRange(first, last))
        for ranges in pools.values():
            ranges.sort(key=lambda r: r.first)
        return pools

    def _details(self, session, subnet_ids):
        pools, dns, routes = self._pools(session, subnet_ids), {}, {}
        for sid, address in session.execute(
                sa.select(DNS.c.subnet_id, DNS.c.address)
                .where(DNS.c.subnet_id.in_(subnet_ids)).order_by(DNS.c.order)):
            dns.setdefault(sid, []).append(address)
        for sid, dest, nexthop in session.execute(
                sa.select(ROUTES.c.subnet_id, ROUTES.c.destination, ROUTES.c.nexthop)
                .where(ROUTES.c.subnet_id.in_(subnet_ids))):
            routes.setdefault(sid, []).append({'destination': dest, 'nexthop': nexthop})
        return pools, dns, routes

    def _to_dicts(self, session, found):
        pools, dns, routes = self._details(session, [r['id'] for r in found])
        return [self._to_dict(row, pools.get(row['id'], []), dns.get(row['id'], []),
                              routes.get(row['id'], [])) for row in found]

    @staticmethod
    def _to_dict(row, pool_ranges, dns, routes):
        data = rows.to_api(row, COLUMNS)
        data['allocation_pools'] = ipam_pools.to_api(pool_ranges)
        data['dns_nameservers'] = list(dns)
        data['host_routes'] = [{'destination': r['destination'], 'nexthop': r['nexthop']}
                               for r in routes]
        return data

    def get_row(self, session, context, subnet_id):
        return rows.fetch_visible(session, SUBNETS, subnet_id, visible_subnets(context),
                                  self.not_found(subnet_id))

    def ipam_subnets(self, session, network_id):
        """IpamSubnet for each subnet of a network, oldest first."""
        found = session.execute(sa.select(SUBNETS).where(SUBNETS.c.network_id == network_id)
                                .order_by(SUBNETS.c.created_at, SUBNETS.c.id)).mappings().all()
        if not found:
            return []
        pools = self._pools(session, [r['id'] for r in found])
        return [ipam_subnet(r, pools.get(r['id'], [])) for r in found]

    def get(self, context, subnet_id):
        with self.db.reader() as session:
            return self._to_dicts(session, [self.get_row(session, context, subnet_id)])[0]

    def policy_target(self, context, subnet_id):
        with self.db.reader() as session:
            row = self.get_row(session, context, subnet_id)
            net = session.execute(sa.select(NETWORKS.c.tenant_id, NETWORKS.c.shared).where(
                NETWORKS.c.id == row['network_id'])).first()
            target = self._to_dicts(session, [row])[0]
        target['network:tenant_id'], target['network:shared'] = net.tenant_id, net.shared
        return target

    def list(self, context, query):
        query = rows.normalize_query(query)
        with self.db.reader() as session:
            found, _stmt = listing.fetch_page(session, SUBNETS, visible_subnets(context), query)
            return self._to_dicts(session, found) if found else []

    # ---- create --------------------------------------------------------------------------

    def create_bulk(self, context, items):
        created = self.create_items('subnet', items, self._create)
        for subnet in created:
            self.notifier.subnet_created(context, subnet)
        return created

    def _create(self, session, data, policy=None):
        network = session.execute(sa.select(NETWORKS).where(
            NETWORKS.c.id == data['network_id'])).mappings().first()
        if network is None:
            raise exceptions.NetworkNotFound(net_id=data['network_id'])
        cidr = subnet_checks.check_cidr(data)
        subnet_checks.check_overlap(session, self.conf, cidr, data['network_id'])
        gateway = data['gateway_ip']
        if gateway is ATTR_NOT_SPECIFIED:
            gateway = ipam_pools.default_gateway(cidr)
        elif gateway is not None:
            gateway = subnet_checks.check_gateway(cidr, netaddr.IPAddress(gateway))
        if data['allocation_pools'] is ATTR_NOT_SPECIFIED:
            pool_ranges = ipam_pools.default_pools(cidr, gateway)
        else:
            pool_ranges = ipam_pools.parse_pools(data['allocation_pools'], cidr)
            ipam_pools.validate_pools(pool_ranges, cidr, gateway)
            pool_ranges = tuple(sorted(pool_ranges, key=lambda r: r.first))
        dns = [] if data['dns_nameservers'] is ATTR_NOT_SPECIFIED else data['dns_nameservers']
        routes = [] if data['host_routes'] is ATTR_NOT_SPECIFIED else data['host_routes']
        subnet_checks.check_dns_and_routes(self.conf, None, cidr, dns, routes)
        now = rows.utcnow()
        values = {'id': rows.new_id(), 'tenant_id': data['tenant_id'],
                  'network_id': data['network_id'], 'name': data['name'],
                  'description': data['description'], 'ip_version': cidr.version,
                  'cidr': str(cidr), 'gateway_ip': str(gateway) if gateway else None,
                  'enable_dhcp': data['enable_dhcp'],
                  'ipv6_ra_mode': data['ipv6_ra_mode'],
                  'ipv6_address_mode': data['ipv6_address_mode'],
                  'created_at': now, 'updated_at': now}
        session.execute(SUBNETS.insert().values(**values))
        routes = [{'destination': str(netaddr.IPNetwork(r['destination']).cidr),
                   'nexthop': r['nexthop']} for r in routes]
        self._write_pools(session, values['id'], pool_ranges, replace=False)
        self._write_dns_and_routes(session, values['id'], dns, routes, replace=False)
        self.ipam.create_subnet(session, ipam_subnet(values, pool_ranges), policy)
        return self._to_dict(values, pool_ranges, dns, routes)

    @staticmethod
    def _write_pools(session, subnet_id, pool_ranges, replace=True):
        if replace:
            session.execute(POOLS.delete().where(POOLS.c.subnet_id == subnet_id))
        if pool_ranges:
            session.execute(POOLS.insert(), [
                {'id': rows.new_id(), 'subnet_id': subnet_id,
                 'first_ip': str(netaddr.IPAddress(r.first, r.version)),
                 'last_ip': str(netaddr.IPAddress(r.last, r.version))} for r in pool_ranges])

    @staticmethod
    def _write_dns_and_routes(session, subnet_id, dns, routes, replace=True):
        """None leaves that list as it is; replace=False skips clearing (a new subnet)."""
        if dns is not None:
            if replace:
                session.execute(DNS.delete().where(DNS.c.subnet_id == subnet_id))
            if dns:
                session.execute(DNS.insert(), [
                    {'subnet_id': subnet_id, 'address': a, 'order': i}
                    for i, a in enumerate(dns)])
        if routes is not None:
            if replace:
                session.execute(ROUTES.delete().where(ROUTES.c.subnet_id == subnet_id))
            if routes:
                session.execute(ROUTES.insert(), [
                    {'subnet_id': subnet_id, 'destination': str(netaddr.IPNetwork(
                        r['destination']).cidr), 'nexthop': r['nexthop']} for r in routes])

    # ---- update --------------------------------------------------------------------------

    def update(self, context, subnet_id, data):
        def run(session):
            row = self.get_row(session, context, subnet_id)
            self._update(session, row, dict(data))
            return self._to_dicts(session, [session.execute(
                sa.select(SUBNETS).where(SUBNETS.c.id == subnet_id)).mappings().one()])[0]
        subnet = self._write(run)
        self.notifier.subnet_updated(context, subnet)
        return subnet

    def _update(self, session, row, data):
        cidr = netaddr.IPNetwork(row['cidr'])
        subnet = self.ipam_subnets_by_id(session, row)
        gateway = subnet.gateway_ip
        if 'gateway_ip' in data:
            gateway = data['gateway_ip']
            gateway = None if gateway is None else subnet_checks.check_gateway(
                cidr, netaddr.IPAddress(gateway))
            subnet_checks.check_gateway_free(session, row, gateway)
            data['gateway_ip'] = str(gateway) if gateway else None
        pool_ranges = subnet.pools
        pools_changed = 'allocation_pools' in data
        if pools_changed:
            pool_ranges = ipam_pools.parse_pools(data.pop('allocation_pools'), cidr)
        if pools_changed or 'gateway_ip' in data:
            ipam_pools.validate_pools(pool_ranges, cidr, gateway)
        dns = data.pop('dns_nameservers', None)
        routes = data.pop('host_routes', None)
        subnet_checks.check_dns_and_routes(self.conf, row['id'], cidr, dns or [], routes or [])
        self._write_dns_and_routes(session, row['id'], dns, routes)
        session.execute(SUBNETS.update().where(SUBNETS.c.id == row['id'])
                        .values(updated_at=rows.utcnow(), **data))
        if pools_changed:
            self._write_pools(session, row['id'], pool_ranges)
            new_row = dict(row, gateway_ip=data.get('gateway_ip', row['gateway_ip']))
            self.ipam.update_subnet_pools(session, ipam_subnet(new_row, pool_ranges))

    def ipam_subnets_by_id(self, session, row):
        return ipam_subnet(row, self._pools(session, [row['id']]).get(row['id'], []))

    # ---- delete --------------------------------------------------------------------------

    def delete(self, context, subnet_id):
        def run(session):
            row = self.get_row(session, context, subnet_id)
            busy = session.execute(
                sa.select(ALLOCS.c.ip_address).join(PORTS, PORTS.c.id == ALLOCS.c.port_id)
                .where(ALLOCS.c.subnet_id == subnet_id,
                       PORTS.c.device_owner.not_in(AUTO_DELETE_OWNERS)).limit(1)).first()
            if busy is not None:
                raise exceptions.SubnetInUse(subnet_id=subnet_id, **self._in_use_reason(
                    session, subnet_id))
            addressed = [port_id for (port_id,) in session.execute(
                sa.select(ALLOCS.c.port_id).where(ALLOCS.c.subnet_id == subnet_id))]
            watch = self.l2pop.watch(session, port_ids=addressed)   # DHCP ports lose an IP
            self.delete_rows(session, subnet_id)
            return row['network_id'], watch.changes(session)
        network_id, fdb = self._write(run)
        self.notifier.subnet_deleted(context, subnet_id, network_id)
        self.notifier.fdb_changed(context, fdb.add, fdb.remove)

    @staticmethod
    def _in_use_reason(session, subnet_id):
        router_port = session.execute(
            sa.select(PORTS.c.device_id).join(ALLOCS, PORTS.c.id == ALLOCS.c.port_id)
            .where(ALLOCS.c.subnet_id == subnet_id,
                   PORTS.c.device_owner == const.DEVICE_OWNER_ROUTER_INTF).limit(1)).first()
        if router_port is None:
            return {}
        return {'reason': 'One or more router interfaces are on this subnet (router %s)'
                          % router_port.device_id}

    @staticmethod
    def delete_rows(session, subnet_id):
        # Child tables (pools, ranges, policy, DNS, routes, allocations) go by ON DELETE CASCADE.
        session.execute(ALLOCS.delete().where(ALLOCS.c.subnet_id == subnet_id))
        session.execute(SUBNETS.delete().where(SUBNETS.c.id == subnet_id))

    # ---- IP policy (Melange) --------------------------------------------------------------

    def set_ip_policy(self, context, subnet_id, policy):
        def run(session):
            row = self.get_row(session, context, subnet_id)
            self.ipam.set_policy(session, self.ipam_subnets_by_id(session, row), policy)
        self._write(run)

    def get_ip_policy(self, context, subnet_id):
        with self.db.reader() as session:
            self.get_row(session, context, subnet_id)
            return self.ipam.get_policy(session, subnet_id)

    def count_free_ips(self, context, subnet_id):
        with self.db.reader() as session:
            row = self.get_row(session, context, subnet_id)
            return self.ipam.count_free(session, self.ipam_subnets_by_id(session, row))
