"""networks: create, update (sharing), delete (refused while ports are in use), list."""

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import core as core_models
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.services.extensions import base
from netmgr.services import interface
from netmgr.services import l2pop as l2pop_mod
from netmgr.services import notifier as notifier_mod
from netmgr.services import rows

NETWORKS = core_models.Network.__table__
SUBNETS = core_models.Subnet.__table__
PORTS = core_models.Port.__table__
COLUMNS = ('id', 'tenant_id', 'name', 'description', 'status', 'admin_state_up', 'shared',
           'created_at', 'updated_at')
# Ports the network may delete itself: they exist only to serve the network.
AUTO_DELETE_OWNERS = (const.DEVICE_OWNER_DHCP,)


def visible_networks(context):
    """SQL condition equivalent to the default get_network rule."""
    if context.is_admin:
        return sa.true()
    return sa.or_(NETWORKS.c.tenant_id == context.tenant_id, NETWORKS.c.shared.is_(True))


class NetworkService(interface.ResourceService):
    collection = 'networks'

    def __init__(self, db, subnet_service, retries=20, extensions=(), quotas=None,
                 notifier=None, l2pop=None):
        self.db = db
        self.notifier = notifier or notifier_mod.NullNotifier()
        self.l2pop = l2pop or l2pop_mod.L2Population(db)
        self.subnets = subnet_service
        self.quotas = quotas
        self.extensions = base.ExtensionSet(extensions)
        self._write = db_api.RetriedWriter(db, retries)

    def _scope(self, context):
        return self.extensions.scope(context, visible_networks(context))

    # ---- reads ---------------------------------------------------------------------------

    def not_found(self, resource_id):
        return exceptions.NetworkNotFound(net_id=resource_id)

    @staticmethod
    def _to_dict(row, subnet_ids):
        data = rows.to_api(row, COLUMNS)
        data['subnets'] = subnet_ids
        return data

    def _subnet_ids(self, session, network_ids_stmt):
        result = {}
        for net_id, subnet_id in session.execute(
                sa.select(SUBNETS.c.network_id, SUBNETS.c.id)
                .where(SUBNETS.c.network_id.in_(network_ids_stmt))
                .order_by(SUBNETS.c.created_at, SUBNETS.c.id)):
            result.setdefault(net_id, []).append(subnet_id)
        return result

    def get_row(self, session, context, network_id):
        return rows.fetch_visible(session, NETWORKS, network_id, self._scope(context),
                                  self.not_found(network_id))

    def get(self, context, network_id):
        with self.db.reader() as session:
            row = self.get_row(session, context, network_id)
            ids = self._subnet_ids(session, sa.select(sa.literal(network_id)))
            network = self._to_dict(row, ids.get(network_id, []))
            return self.extensions.extend(session, [network])[0]

    def facts(self, context, network_id):
        """Owner and sharing of a network the context can see (for subnet/port policy)."""
        with self.db.reader() as session:
            row = session.execute(sa.select(NETWORKS.c.tenant_id, NETWORKS.c.shared).where(
                NETWORKS.c.id == network_id, self._scope(context))).first()
        if row is None:
            raise exceptions.NetworkNotFound(net_id=network_id)
        return {'tenant_id': row.tenant_id, 'shared': row.shared}

    def policy_target(self, context, network_id):
        return self.get(context, network_id)

    def list(self, context, query):
        query = rows.normalize_query(query)
        with self.db.reader() as session:
            _filters, conditions = self.extensions.split_filters(query.filters)
            found, stmt = listing.fetch_page(
                session, NETWORKS, self._scope(context), query, conditions=conditions,
                skip=[n for n in query.filters if self.extensions.owns(n)])
            if not found:
                return []
            page = listing.page_ids(NETWORKS, found, stmt)
            ids = self._subnet_ids(session, page)
            return self.extensions.extend(
                session, [self._to_dict(r, ids.get(r['id'], [])) for r in found], page)

    # ---- writes --------------------------------------------------------------------------

    def _insert(self, session, context, data):
        now = rows.utcnow()
        values = {'id': rows.new_id(), 'tenant_id': data['tenant_id'], 'name': data['name'],
                  'description': data['description'], 'status': const.NET_STATUS_ACTIVE,
                  'admin_state_up': data['admin_state_up'], 'shared': data['shared'],
                  'created_at': now, 'updated_at': now}
        session.execute(NETWORKS.insert().values(**values))
        network = self._to_dict(values, [])
        self.extensions.create(session, context, network, data)
        return network

    def create_bulk(self, context, items):
        created = self.create_items(
            'network', items, lambda session, item: self._insert(session, context, item))
        for network in created:
            self.notifier.network_created(context, network)
        return created

    def update(self, context, network_id, data):
        def run(session):
            row = self.get_row(session, context, network_id)
            core, extended = self.extensions.split(data)
            if core.get('shared') is False and row['shared']:
                self._check_unshare(session, row)
            self.extensions.update(session, context, dict(row), extended)
            session.execute(NETWORKS.update().where(NETWORKS.c.id == network_id)
                            .values(updated_at=rows.utcnow(), **core))
        self._write(run)
        network = self.get(context, network_id)
        self.notifier.network_updated(context, network)
        return network

    def _check_unshare(self, session, row):
        other = session.execute(sa.select(PORTS.c.id).where(
            PORTS.c.network_id == row['id'], PORTS.c.tenant_id != row['tenant_id'])
            .limit(1)).first()
        if other is not None:
            raise exceptions.InvalidSharedSetting(network=row['id'])

    def delete(self, context, network_id):
        def run(session):
            self.get_row(session, context, network_id)
            busy = session.execute(sa.select(PORTS.c.id).where(
                PORTS.c.network_id == network_id,
                PORTS.c.device_owner.not_in(AUTO_DELETE_OWNERS)).limit(1)).first()
            if busy is not None:
                raise exceptions.NetworkInUse(net_id=network_id)
            watch = self.l2pop.watch(session, network_ids=[network_id])
            session.execute(PORTS.delete().where(PORTS.c.network_id == network_id))
            for (subnet_id,) in session.execute(
                    sa.select(SUBNETS.c.id).where(SUBNETS.c.network_id == network_id)):
                self.subnets.delete_rows(session, subnet_id)
            session.execute(NETWORKS.delete().where(NETWORKS.c.id == network_id))
            return watch.changes(session)
        fdb = self._write(run)
        self.notifier.fdb_changed(context, fdb.add, fdb.remove)    # its DHCP ports went
        self.notifier.network_deleted(context, network_id)
