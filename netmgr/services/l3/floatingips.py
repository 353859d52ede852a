"""floatingips: an address taken from an external network (held by a port of its own, owned by
the L3 API) and, optionally, its mapping to a fixed IP behind a router."""

import netaddr
import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.models import l3
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.services.l3 import associations
from netmgr.services import interface
from netmgr.services.core import networks
from netmgr.services import notifier as notifier_mod
from netmgr.services import rows

FIPS = l3.FloatingIP.__table__
ASSOC = l3.FloatingIPAssociation.__table__
NETWORKS = core.Network.__table__
SUBNETS = core.Subnet.__table__
EXTERNAL = core.ExternalNetwork.__table__
COLUMNS = ('id', 'tenant_id', 'description', 'floating_network_id', 'floating_ip_address',
           'status', 'created_at', 'updated_at')
STATUS_ACTIVE = 'ACTIVE'
STATUS_DOWN = 'DOWN'
# API filters answered by the association table: attribute -> its column there.
ASSOC_FILTERS = {'port_id': ASSOC.c.fixed_port_id, 'router_id': ASSOC.c.router_id,
                 'fixed_ip_address': ASSOC.c.fixed_ip_address}
bad_request = associations.bad_request


def visible_floatingips(context):
    """SQL condition equivalent to the default get_floatingip rule."""
    if context.is_admin:
        return sa.true()
    return FIPS.c.tenant_id == context.tenant_id


def _associated():
    return FIPS.c.id.in_(sa.select(ASSOC.c.floatingip_id))


def _status_filter(values):
    """Unassociated floating IPs are DOWN whatever their row says (a port delete drops the
    association in the database, which leaves the row's status as it was)."""
    clauses = [sa.and_(_associated(), FIPS.c.status == v) for v in values if v != STATUS_DOWN]
    if STATUS_DOWN in values:
        clauses.append(sa.or_(FIPS.c.status == STATUS_DOWN, sa.not_(_associated())))
    return sa.or_(sa.false(), *clauses)


class FloatingIPService(interface.ResourceService):
    collection = 'floatingips'

    def __init__(self, db, port_service, retries=20, quotas=None, notifier=None):
        self.db = db
        self.notifier = notifier or notifier_mod.NullNotifier()
        self.ports = port_service
        self.quotas = quotas
        self.associations = associations.Associations(port_service)
        self._write = db_api.RetriedWriter(db, retries)
        if quotas is not None:
            quotas.register_count_source('floatingip', FIPS.c.tenant_id)

    # ---- reads ---------------------------------------------------------------------------

    def not_found(self, resource_id):
        return exceptions.FloatingIPNotFound(floatingip_id=resource_id)

    def get_row(self, session, context, fip_id, lock=False):
        if lock:
            row = session.execute(sa.select(FIPS).where(
                FIPS.c.id == fip_id, visible_floatingips(context)).with_for_update()
            ).mappings().first()
            if row is None:
                raise self.not_found(fip_id)
            return row
        return rows.fetch_visible(session, FIPS, fip_id, visible_floatingips(context),
                                  self.not_found(fip_id))

    @staticmethod
    def _to_dict(row, assoc):
        data = rows.to_api(row, COLUMNS)
        data['port_id'] = assoc['fixed_port_id'] if assoc else None
        data['fixed_ip_address'] = assoc['fixed_ip_address'] if assoc else None
        data['router_id'] = assoc['router_id'] if assoc else None
        if assoc is None:
            data['status'] = STATUS_DOWN
        return data

    def _load(self, session, fip_id):
        row = session.execute(sa.select(FIPS).where(FIPS.c.id == fip_id)).mappings().one()
        assoc = self.associations.of(session, ASSOC.c.floatingip_id == fip_id).get(fip_id)
        return self._to_dict(row, assoc)

    def _router_of(self, session, fip_id):
        """The router the floating IP goes through now, or None (one query)."""
        assoc = self.associations.of(session, ASSOC.c.floatingip_id == fip_id).get(fip_id)
        return assoc['router_id'] if assoc else None

    def get(self, context, fip_id):
        with self.db.reader() as session:
            self.get_row(session, context, fip_id)
            return self._load(session, fip_id)

    def policy_target(self, context, fip_id):
        return self.get(context, fip_id)

    def list(self, context, query):
        query = rows.normalize_query(query)
        conditions = []
        for name, column in ASSOC_FILTERS.items():
            values = query.filters.get(name)
            if values:
                conditions.append(FIPS.c.id.in_(
                    sa.select(ASSOC.c.floatingip_id).where(column.in_(values))))
        if query.filters.get('status'):
            conditions.append(_status_filter(query.filters['status']))
        with self.db.reader() as session:
            found, stmt = listing.fetch_page(
                session, FIPS, visible_floatingips(context), query, conditions=conditions,
                skip=tuple(ASSOC_FILTERS) + ('status',))
            if not found:
                return []
            assocs = self.associations.of(
                session, ASSOC.c.floatingip_id.in_(listing.page_ids(FIPS, found, stmt)))
            return [self._to_dict(r, assocs.get(r['id'])) for r in found]

    # ---- create --------------------------------------------------------------------------

    def create_bulk(self, context, items):
        for item in items:
            if item.get('fixed_ip_address') is not None and item.get('port_id') is None:
                raise bad_request('fixed_ip_address cannot be specified without a port_id')

        created = self.create_items(
            'floatingip', items, lambda session, item: self._create(session, context, item))
        self.notifier.routers_updated(context, [f['router_id'] for f in created])
        return created

    def _check_network(self, session, context, network_id):
        network = session.execute(sa.select(NETWORKS.c.id).where(
            NETWORKS.c.id == network_id)).first()
        external = session.execute(sa.select(EXTERNAL.c.network_id).where(
            EXTERNAL.c.network_id == network_id)).first()
        if external is not None:
            return
        visible = network is not None and session.execute(sa.select(NETWORKS.c.id).where(
            NETWORKS.c.id == network_id, networks.visible_networks(context))).first()
        if not visible:
            raise exceptions.NetworkNotFound(net_id=network_id)
        raise bad_request('Network %s is not a valid external network' % network_id)

    @staticmethod
    def _requested_ip(session, network_id, data):
        """The port's fixed_ips request: the subnet and/or address asked for (None: any)."""
        entry = {}
        if data.get('subnet_id') is not None:
            subnet = session.execute(sa.select(SUBNETS.c.network_id).where(
                SUBNETS.c.id == data['subnet_id'])).first()
            if subnet is None or subnet.network_id != network_id:
                raise bad_request('Subnet %s is not a subnet of the floating network %s'
                                  % (data['subnet_id'], network_id))
            entry['subnet_id'] = data['subnet_id']
        if data.get('floating_ip_address') is not None:
            entry['ip_address'] = data['floating_ip_address']
        return [entry] if entry else None

    def _create(self, session, context, data):
        network_id = data['floating_network_id']
        self._check_network(session, context, network_id)
        fip_id = rows.new_id()
        port = self.ports.create_owned(
            session, network_id, const.DEVICE_OWNER_FLOATINGIP, fip_id,
            fixed_ips=self._requested_ip(session, network_id, data))
        ipv4 = [ip['ip_address'] for ip in port['fixed_ips']
                if netaddr.IPAddress(ip['ip_address']).version == 4]
        if not ipv4:  # the whole call is rolled back: nothing is left allocated
            raise bad_request('No IPv4 address found on external network %s' % network_id)
        now = rows.utcnow()
        values = dict(id=fip_id, tenant_id=data['tenant_id'], description=data['description'],
                      floating_network_id=network_id, floating_port_id=port['id'],
                      floating_ip_address=ipv4[0], status=STATUS_DOWN,
                      created_at=now, updated_at=now)
        session.execute(FIPS.insert().values(**values))
        if data.get('port_id') is not None:
            self.associations.associate(session, context, values, data['port_id'],
                                        data.get('fixed_ip_address'))
            session.execute(FIPS.update().where(FIPS.c.id == fip_id).values(
                status=STATUS_ACTIVE))
        return self._load(session, fip_id)

    # ---- update and delete -----------------------------------------------------------------

    def update(self, context, fip_id, data):
        values = dict(data)
        port_id = values.pop('port_id', ATTR_NOT_SPECIFIED)
        fixed_ip_address = values.pop('fixed_ip_address', None)
        if fixed_ip_address is not None and port_id in (None, ATTR_NOT_SPECIFIED):
            raise bad_request('fixed_ip_address cannot be specified without a port_id')

        def run(session):
            row = self.get_row(session, context, fip_id, lock=True)
            before = self._router_of(session, fip_id)
            if port_id is None:
                self.associations.disassociate(session, fip_id)
                values['status'] = STATUS_DOWN
            elif port_id is not ATTR_NOT_SPECIFIED:
                self.associations.associate(session, context, row, port_id,
                                            fixed_ip_address)
                values['status'] = STATUS_ACTIVE
            session.execute(FIPS.update().where(FIPS.c.id == fip_id)
                            .values(updated_at=rows.utcnow(), **values))
            return self._load(session, fip_id), before
        fip, before = self._write(run)
        self.notifier.routers_updated(context, [before, fip['router_id']])
        return fip

    def delete(self, context, fip_id):
        def run(session):
            row = self.get_row(session, context, fip_id, lock=True)
            router_id = self._router_of(session, fip_id)
            self.associations.disassociate(session, fip_id)
            session.execute(FIPS.delete().where(FIPS.c.id == fip_id))
            self.ports.delete_rows(session, row['floating_port_id'])
            return router_id
        router_id = self._write(run)
        self.notifier.routers_updated(context, [router_id])
