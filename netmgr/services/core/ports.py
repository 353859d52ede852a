"""ports: MAC and fixed IP allocation through IPAM, in the same transaction as the port."""

import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.models import l3
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.services.extensions import base
from netmgr.services import interface
from netmgr.services import l2pop as l2pop_mod
from netmgr.services import notifier as notifier_mod
from netmgr.services.core import port_addresses
from netmgr.services import rows

NETWORKS = core.Network.__table__
PORTS = core.Port.__table__
ALLOCS = core.IPAllocation.__table__
FIP_ASSOC = l3.FloatingIPAssociation.__table__
COLUMNS = ('id', 'tenant_id', 'network_id', 'name', 'description', 'mac_address',
           'admin_state_up', 'status', 'device_id', 'device_owner', 'created_at', 'updated_at')
# Neutron's order of a port's fixed_ips (Nova takes the first as the primary address).
FIXED_IPS_ORDER = (ALLOCS.c.ip_address, ALLOCS.c.subnet_id)
# Ports the L3 API owns (router interfaces and gateways, floating IPs): only it removes them.
L3_OWNERS = (const.DEVICE_OWNER_ROUTER_INTF, const.DEVICE_OWNER_ROUTER_GW,
             const.DEVICE_OWNER_FLOATINGIP)


def visible_ports(context):
    """SQL condition equivalent to the default get_port rule."""
    if context.is_admin:
        return sa.true()
    own_nets = sa.select(NETWORKS.c.id).where(NETWORKS.c.tenant_id == context.tenant_id)
    return sa.or_(PORTS.c.tenant_id == context.tenant_id, PORTS.c.network_id.in_(own_nets))


def owned_port(network_id, device_owner, device_id, tenant_id='', fixed_ips=None,
               attributes=None):
    """The create body of a port that a router, floating IP or DHCP agent owns: unnamed, up,
    a generated MAC; ``fixed_ips`` None takes the default addresses. ``attributes`` adds
    extension attributes (e.g. binding:host_id)."""
    return dict({'tenant_id': tenant_id, 'network_id': network_id, 'name': '',
                 'description': '', 'mac_address': ATTR_NOT_SPECIFIED, 'admin_state_up': True,
                 'device_id': device_id, 'device_owner': device_owner,
                 'fixed_ips': ATTR_NOT_SPECIFIED if fixed_ips is None else fixed_ips},
                **(attributes or {}))


def floating_ip_routers(session, port_id):
    """Routers holding a floating IP of this port (they must hear when it goes)."""
    return [router_id for (router_id,) in session.execute(
        sa.select(FIP_ASSOC.c.router_id).where(FIP_ASSOC.c.fixed_port_id == port_id))]


class PortService(interface.ResourceService):
    collection = 'ports'

    def __init__(self, db, subnet_service, mac_generator, conf, retries=20, quotas=None,
                 extensions=(), notifier=None, l2pop=None):
        self.db = db
        self.notifier = notifier or notifier_mod.NullNotifier()
        self.l2pop = l2pop or l2pop_mod.L2Population(db)
        self.quotas = quotas
        self.extensions = base.ExtensionSet(extensions)
        self.subnets = subnet_service
        self.addresses = port_addresses.PortAddresses(subnet_service, mac_generator, conf)
        self._write = db_api.RetriedWriter(db, retries)

    # ---- reads ---------------------------------------------------------------------------

    def not_found(self, resource_id):
        return exceptions.PortNotFound(port_id=resource_id)

    @staticmethod
    def _fixed_ips(session, port_ids_clause):
        result = {}
        for port_id, subnet_id, address in session.execute(
                sa.select(ALLOCS.c.port_id, ALLOCS.c.subnet_id, ALLOCS.c.ip_address)
                .where(port_ids_clause).order_by(*FIXED_IPS_ORDER)):
            result.setdefault(port_id, []).append({'subnet_id': subnet_id,
                                                   'ip_address': address})
        return result

    @staticmethod
    def _to_dict(row, fixed_ips):
        data = rows.to_api(row, COLUMNS)
        data['fixed_ips'] = fixed_ips
        return data

    def get_row(self, session, context, port_id):
        return rows.fetch_visible(session, PORTS, port_id, visible_ports(context),
                                  self.not_found(port_id))

    def _load(self, session, port_id):
        return self.load(session, [port_id])[0]

    def load(self, session, port_ids):
        """The dicts (every extension's attributes included) of the ports with these ids,
        read in the caller's transaction with no visibility check; absent ids are skipped."""
        found = session.execute(sa.select(PORTS).where(PORTS.c.id.in_(port_ids))
                                ).mappings().all()
        ips = self._fixed_ips(session, ALLOCS.c.port_id.in_(port_ids))
        return self.extensions.extend(
            session, [self._to_dict(row, ips.get(row['id'], [])) for row in found])

    def get(self, context, port_id):
        with self.db.reader() as session:
            self.get_row(session, context, port_id)
            return self._load(session, port_id)

    def policy_target(self, context, port_id):
        with self.db.reader() as session:
            self.get_row(session, context, port_id)
            target = self._load(session, port_id)
            net = session.execute(sa.select(NETWORKS.c.tenant_id, NETWORKS.c.shared).where(
                NETWORKS.c.id == target['network_id'])).first()
        target['network:tenant_id'], target['network:shared'] = net.tenant_id, net.shared
        target['network_device'] = target['device_owner'].startswith(
            const.DEVICE_OWNER_PREFIX_NETWORK)
        return target

    def list(self, context, query):
        query = rows.normalize_query(query)
        with self.db.reader() as session:
            _core, conditions = self.extensions.split_filters(query.filters)
            if 'fixed_ips' in query.filters:
                conditions.append(self._fixed_ips_filter(query.filters['fixed_ips']))
            skip = ['fixed_ips'] + [n for n in query.filters if self.extensions.owns(n)]
            found, stmt = listing.fetch_page(session, PORTS, visible_ports(context), query,
                                             conditions=conditions, skip=skip)
            if not found:
                return []
            page = listing.page_ids(PORTS, found, stmt)
            ips = self._fixed_ips(session, ALLOCS.c.port_id.in_(page))
            return self.extensions.extend(
                session, [self._to_dict(r, ips.get(r['id'], [])) for r in found], page)

    @staticmethod
    def _fixed_ips_filter(criteria):
        conditions = []
        for key in ('ip_address', 'subnet_id'):
            if key in criteria:
                conditions.append(ALLOCS.c[key].in_(criteria[key]))
        unknown = set(criteria) - {'ip_address', 'subnet_id'}
        if unknown:
            raise exceptions.InvalidFilter(filter='fixed_ips=' + ','.join(sorted(unknown)))
        return PORTS.c.id.in_(sa.select(ALLOCS.c.port_id).where(*conditions))

    # ---- create --------------------------------------------------------------------------

    def create_bulk(self, context, items):
        created = self.create_items(
            'port', items, lambda session, item: self._create(session, item, context))
        for port in created:
            self.notifier.port_created(context, port)
        return created

    def create_owned(self, session, network_id, device_owner, device_id, tenant_id='',
                     fixed_ips=None):
        """Create, in the caller's transaction, a port that a router or floating IP owns (see
        owned_port); no quota check and no notification: the caller tells the agents it
        concerns once its transaction has committed."""
        return self._create(session, owned_port(network_id, device_owner, device_id,
                                                tenant_id=tenant_id, fixed_ips=fixed_ips))

    def _create(self, session, data, context=None):
        """Create a port in the caller's transaction. Without a context (ports the L3 API
        makes for itself) the extensions act with the port's own tenant's rights."""
        network_id = data['network_id']
        if session.execute(sa.select(NETWORKS.c.id).where(
                NETWORKS.c.id == network_id)).first() is None:
            raise exceptions.NetworkNotFound(net_id=network_id)
        port_id = rows.new_id()
        mac = self.addresses.choose_mac(session, network_id, data['mac_address'])
        now = rows.utcnow()
        values = dict(
            id=port_id, tenant_id=data['tenant_id'], network_id=network_id,
            name=data['name'], description=data['description'], mac_address=mac,
            admin_state_up=data['admin_state_up'], status=const.PORT_STATUS_DOWN,
            device_id=data['device_id'], device_owner=data['device_owner'],
            created_at=now, updated_at=now)
        session.execute(PORTS.insert().values(**values))
        fixed_ips = data['fixed_ips']
        allocated = self.addresses.allocate(
            session, network_id, port_id, mac, data['device_owner'],
            None if fixed_ips is ATTR_NOT_SPECIFIED else fixed_ips)
        allocated.sort(key=lambda ip: (ip['ip_address'], ip['subnet_id']))
        port = self._to_dict(values, allocated)
        self.extensions.create(session, context, port, data)
        return port

    # ---- update and delete -----------------------------------------------------------------

    def update(self, context, port_id, data):
        def run(session):
            row = self.get_row(session, context, port_id)
            watch = self.l2pop.watch(session, port_ids=[port_id])
            values, extended = self.extensions.split(data)
            fixed_ips = values.pop('fixed_ips', None)
            routers = []
            if fixed_ips is not None:
                routers = floating_ip_routers(session, port_id)
                self.addresses.update(session, row, fixed_ips,
                                      values.get('device_owner', row['device_owner']))
            self.extensions.update(session, context, dict(row), extended)
            session.execute(PORTS.update().where(PORTS.c.id == port_id)
                            .values(updated_at=rows.utcnow(), **values))
            return self._load(session, port_id), routers, watch.changes(session)
        port, routers, fdb = self._write(run)
        self.notifier.port_updated(context, port)
        self.notifier.fdb_changed(context, fdb.add, fdb.remove)
        self.notifier.routers_updated(context, routers)
        return port

    def delete(self, context, port_id):
        def run(session):
            row = self.get_row(session, context, port_id)
            if row['device_owner'] in L3_OWNERS:
                raise exceptions.L3PortInUse(port_id=port_id,
                                             device_owner=row['device_owner'])
            routers = floating_ip_routers(session, port_id)
            watch = self.l2pop.watch(session, port_ids=[port_id])
            self.delete_rows(session, port_id)
            return row['network_id'], routers, watch.changes(session)
        network_id, routers, fdb = self._write(run)
        self.notifier.port_deleted(context, port_id, network_id)
        self.notifier.fdb_changed(context, fdb.add, fdb.remove)
        # Its floating IPs went with it (cascade): their routers drop the NAT rules.
        self.notifier.routers_updated(context, routers)

    def delete_rows(self, session, port_id):
        """Delete a port in the caller's transaction, with no checks (router ports)."""
        row = session.execute(sa.select(PORTS).where(PORTS.c.id == port_id)).mappings().one()
        self.addresses.release_all(session, row)
        session.execute(PORTS.delete().where(PORTS.c.id == port_id))
