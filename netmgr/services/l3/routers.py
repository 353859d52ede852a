"""routers: CRUD, the external gateway (a port on an external network) and interfaces.

Router ports are made and removed by PortService (create_owned, delete_rows) in the router
call's own transaction; the port API refuses to delete them (L3PortInUse).
"""

import netaddr
import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import router as router_def
from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.models import l3
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.services import interface
from netmgr.services import l2pop as l2pop_mod
from netmgr.services import notifier as notifier_mod
from netmgr.services.l3 import router_interfaces
from netmgr.services import rows

ROUTERS = l3.Router.__table__
ROUTER_PORTS = l3.RouterPort.__table__
FIP_ASSOC = l3.FloatingIPAssociation.__table__
PORTS = core.Port.__table__
ALLOCS = core.IPAllocation.__table__
NETWORKS = core.Network.__table__
EXTERNAL = core.ExternalNetwork.__table__
COLUMNS = ('id', 'tenant_id', 'name', 'description', 'status', 'admin_state_up',
           'created_at', 'updated_at')
GW_INFO = router_def.EXTERNAL_GW_INFO
ROUTER_STATUS_ACTIVE = 'ACTIVE'
# Keys of external_gateway_info that have their own <verb>_router:external_gateway_info:<key>
# rule (admin only by default, as in Neutron).
POLICED_GW_KEYS = ('enable_snat', 'external_fixed_ips')


def visible_routers(context):
    """SQL condition equivalent to the default get_router rule."""
    if context.is_admin:
        return sa.true()
    return ROUTERS.c.tenant_id == context.tenant_id


def bad_request(msg):
    return exceptions.BadRequest(resource='router', msg=msg)


class RouterService(interface.ResourceService):
    collection = 'routers'

    def __init__(self, db, port_service, subnet_service, retries=20, quotas=None,
                 policy=None, notifier=None, l2pop=None):
        self.db = db
        self.ports = port_service
        self.notifier = notifier or notifier_mod.NullNotifier()
        self.l2pop = l2pop or l2pop_mod.L2Population(db)
        self.quotas = quotas
        self.policy = policy
        self.interfaces = router_interfaces.RouterInterfaces(port_service, subnet_service)
        self._write = db_api.RetriedWriter(db, retries)
        if quotas is not None:
            quotas.register_count_source('router', ROUTERS.c.tenant_id)

    # ---- reads ---------------------------------------------------------------------------

    def not_found(self, resource_id):
        return exceptions.RouterNotFound(router_id=resource_id)

    def get_row(self, session, context, router_id):
        return rows.fetch_visible(session, ROUTERS, router_id, visible_routers(context),
                                  self.not_found(router_id))

    @staticmethod
    def _gateways(session, router_ids_clause):
        """{router_id: (port_id, network_id, external_fixed_ips)} of routers with a gateway."""
        found = {}
        for router_id, port_id, network_id in session.execute(
                sa.select(ROUTER_PORTS.c.router_id, PORTS.c.id, PORTS.c.network_id)
                .join(PORTS, PORTS.c.id == ROUTER_PORTS.c.port_id)
                .where(router_ids_clause,
                       ROUTER_PORTS.c.port_type == const.DEVICE_OWNER_ROUTER_GW)):
            found[router_id] = (port_id, network_id, [])
        by_port = {port_id: ips for port_id, _net, ips in found.values()}
        if by_port:
            for port_id, subnet_id, address in session.execute(
                    sa.select(ALLOCS.c.port_id, ALLOCS.c.subnet_id, ALLOCS.c.ip_address)
                    .where(ALLOCS.c.port_id.in_(list(by_port)))
                    .order_by(ALLOCS.c.ip_address, ALLOCS.c.subnet_id)):
                by_port[port_id].append({'subnet_id': subnet_id, 'ip_address': address})
        return found

    @staticmethod
    def _to_dict(row, gateway):
        data = rows.to_api(row, COLUMNS)
        data[GW_INFO] = None
        if gateway is not None:
            _port_id, network_id, fixed_ips = gateway
            data[GW_INFO] = {'network_id': network_id, 'enable_snat': row['enable_snat'],
                             'external_fixed_ips': fixed_ips}
        return data

    def _load(self, session, router_id):
        row = session.execute(sa.select(ROUTERS).where(ROUTERS.c.id == router_id)
                              ).mappings().one()
        gateways = self._gateways(session, ROUTER_PORTS.c.router_id == router_id)
        return self._to_dict(row, gateways.get(router_id))

    def get(self, context, router_id):
        with self.db.reader() as session:
            self.get_row(session, context, router_id)
            return self._load(session, router_id)

    def policy_target(self, context, router_id):
        with self.db.reader() as session:
            return dict(self.get_row(session, context, router_id))

    def list(self, context, query):
        query = rows.normalize_query(query)
        with self.db.reader() as session:
            found, stmt = listing.fetch_page(session, ROUTERS, visible_routers(context), query)
            if not found:
                return []
            gateways = self._gateways(
                session, ROUTER_PORTS.c.router_id.in_(listing.page_ids(ROUTERS, found, stmt)))
            return [self._to_dict(r, gateways.get(r['id'])) for r in found]

    # ---- create, update, delete --------------------------------------------------------------

    def _enforce_gw_keys(self, context, verb, target):
        """Rules on keys inside external_gateway_info (the pipeline checks list keys only)."""
        info = target.get(GW_INFO) or {}
        for key in POLICED_GW_KEYS:
            if key not in info:
                continue
            action = '%s_router:%s:%s' % (verb, GW_INFO, key)
            if self.policy is not None:
                self.policy.enforce(context, action, target)
            elif not context.is_admin:
                raise exceptions.PolicyNotAuthorized(action=action)

    def create_bulk(self, context, items):
        for item in items:
            self._enforce_gw_keys(context, 'create', item)

        created = self.create_items('router', items, self._create)
        self.notifier.routers_updated(context, [r['id'] for r in created])
        return created

    def _create(self, session, data):
        now = rows.utcnow()
        values = dict(id=rows.new_id(), tenant_id=data['tenant_id'], name=data['name'],
                      description=data['description'], status=ROUTER_STATUS_ACTIVE,
                      admin_state_up=data['admin_state_up'], enable_snat=True,
                      created_at=now, updated_at=now)
        session.execute(ROUTERS.insert().values(**values))
        if data.get(GW_INFO):
            self._set_gateway(session, values, data[GW_INFO])
        return self._load(session, values['id'])

    def update(self, context, router_id, data):
        values = dict(data)
        info = values.pop(GW_INFO, ATTR_NOT_SPECIFIED)
        if info is not ATTR_NOT_SPECIFIED:
            target = dict(self.policy_target(context, router_id), **{GW_INFO: info})
            self._enforce_gw_keys(context, 'update', target)

        def run(session):
            row = self.get_row(session, context, router_id)
            watch = self._watch_ports(session, router_id)
            if info is not ATTR_NOT_SPECIFIED:
                self._lock(session, router_id)  # floating IP associations take turns
                if info:
                    self._set_gateway(session, row, info)
                else:  # None or {} (quantum router-gateway-clear)
                    self._clear_gateway(session, router_id)
            session.execute(ROUTERS.update().where(ROUTERS.c.id == router_id)
                            .values(updated_at=rows.utcnow(), **values))
            return self._load(session, router_id), watch.changes(session)
        router, fdb = self._write(run)
        self.notifier.routers_updated(context, [router_id])
        self.notifier.fdb_changed(context, fdb.add, fdb.remove)
        return router

    def delete(self, context, router_id):
        def run(session):
            self.get_row(session, context, router_id)
            self._lock(session, router_id)
            if self.interfaces.has_interfaces(session, router_id):
                raise exceptions.RouterInUse(router_id=router_id)
            watch = self._watch_ports(session, router_id)
            self._clear_gateway(session, router_id)
            session.execute(ROUTER_PORTS.delete().where(
                ROUTER_PORTS.c.router_id == router_id))
            session.execute(ROUTERS.delete().where(ROUTERS.c.id == router_id))
            return watch.changes(session)
        fdb = self._write(run)
        self.notifier.router_deleted(context, router_id)
        self.notifier.fdb_changed(context, fdb.add, fdb.remove)

    def _watch_ports(self, session, router_id):
        """L2 population: note the router's ports (its gateway or interfaces may go)."""
        return self.l2pop.watch(session, port_ids=[port_id for (port_id,) in session.execute(
            sa.select(ROUTER_PORTS.c.port_id).where(ROUTER_PORTS.c.router_id == router_id))])

    def _lock(self, session, router_id):
        """Interface changes and the router's delete take turns, so a delete never misses an
        interface being added (which would leave its port behind)."""
        if session.execute(sa.select(ROUTERS.c.id).where(ROUTERS.c.id == router_id)
                           .with_for_update()).first() is None:
            raise self.not_found(router_id)

    # ---- gateway -----------------------------------------------------------------------------

    def _gateway_port(self, session, router_id):
        return self._gateways(session, ROUTER_PORTS.c.router_id == router_id).get(router_id)

    def _set_gateway(self, session, router, info):
        router_id = router['id']
        network_id = info['network_id']
        if session.execute(sa.select(NETWORKS.c.id).where(
                NETWORKS.c.id == network_id)).first() is None:
            raise exceptions.NetworkNotFound(net_id=network_id)
        if session.execute(sa.select(EXTERNAL.c.network_id).where(
                EXTERNAL.c.network_id == network_id)).first() is None:
            raise bad_request('Network %s is not an external network' % network_id)
        current = self._gateway_port(session, router_id)
        fixed_ips = info.get('external_fixed_ips')
        keep = current is not None and current[1] == network_id and (
            fixed_ips is None or self._same_ips(current[2], fixed_ips))
        if current is not None and not keep:
            if current[1] != network_id:
                self._check_no_floatingips(session, router_id, current[1])
            self.interfaces.delete_port(session, current[0])
        if not keep:
            port = self.ports.create_owned(session, network_id, const.DEVICE_OWNER_ROUTER_GW,
                                           router_id, fixed_ips=fixed_ips or None)
            session.execute(ROUTER_PORTS.insert().values(
                router_id=router_id, port_id=port['id'],
                port_type=const.DEVICE_OWNER_ROUTER_GW))
        session.execute(ROUTERS.update().where(ROUTERS.c.id == router_id).values(
            enable_snat=info.get('enable_snat', True), updated_at=rows.utcnow()))

    @staticmethod
    def _same_ips(current, wanted):
        """True when every wanted entry matches one current address (same count)."""
        def matches(entry, ip):
            return entry.get('subnet_id', ip['subnet_id']) == ip['subnet_id'] and \
                netaddr.IPAddress(entry.get('ip_address', ip['ip_address'])) == \
                netaddr.IPAddress(ip['ip_address'])
        return len(current) == len(wanted) and all(
            any(matches(entry, ip) for ip in current) for entry in wanted)

    def _clear_gateway(self, session, router_id):
        current = self._gateway_port(session, router_id)
        if current is not None:
            self._check_no_floatingips(session, router_id, current[1])
            self.interfaces.delete_port(session, current[0])

    @staticmethod
    def _check_no_floatingips(session, router_id, network_id):
        # A locking read: it sees associations committed since this transaction began.
        if session.execute(sa.select(FIP_ASSOC.c.floatingip_id).where(
                FIP_ASSOC.c.router_id == router_id,
                FIP_ASSOC.c.floating_network_id == network_id).limit(1).with_for_update()
        ).first() is not None:
            raise exceptions.RouterExternalGatewayInUseByFloatingIp(router_id=router_id,
                                                                    net_id=network_id)

    # ---- interfaces ----------------------------------------------------------------------------

    def perform_action(self, context, router_id, action, body):
        if action not in router_def.ACTION_MAP:
            raise NotImplementedError(action)
        subnet_id, port_id = router_interfaces.parse_body(body, action)

        def run(session):
            router = self.get_row(session, context, router_id)
            self._lock(session, router_id)
            watch = self._watch_ports(session, router_id)
            if action == 'add_router_interface':
                answer = self.interfaces.add(session, context, router, subnet_id, port_id)
            else:
                answer = self.interfaces.remove(session, context, router, subnet_id, port_id)
            return answer, watch.changes(session)
        answer, fdb = self._write(run)
        self.notifier.routers_updated(context, [router_id])
        self.notifier.fdb_changed(context, fdb.add, fdb.remove)
        return answer
