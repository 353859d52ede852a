"""What an L3 agent needs to set a router up, read in one transaction: the router, its gateway
port and interface ports (each with its subnets' cidr and gateway) and its floating IPs; and
the floating IP statuses the agent reports back."""

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.models import l3
from netmgr.services import rows

ROUTERS = l3.Router.__table__
ROUTER_PORTS = l3.RouterPort.__table__
FIPS = l3.FloatingIP.__table__
ASSOC = l3.FloatingIPAssociation.__table__
SUBNETS = core.Subnet.__table__
FIP_STATUSES = ('ACTIVE', 'DOWN', 'ERROR')


class RouterSync:
    def __init__(self, db, port_service, retries=20):
        self.db = db
        self.ports = port_service
        self._write = db_api.RetriedWriter(db, retries)

    def routers(self, router_ids=None):
        """[router dict] of ``router_ids`` (None: every router), sorted by id."""
        with self.db.reader() as session:
            stmt = sa.select(ROUTERS).order_by(ROUTERS.c.id)
            if router_ids is not None:
                if not router_ids:
                    return []
                stmt = stmt.where(ROUTERS.c.id.in_(list(router_ids)))
            found = list(session.execute(stmt).mappings())
            if not found:
                return []
            ids = [r['id'] for r in found]
            owned = list(session.execute(
                sa.select(ROUTER_PORTS.c.router_id, ROUTER_PORTS.c.port_id,
                          ROUTER_PORTS.c.port_type)
                .where(ROUTER_PORTS.c.router_id.in_(ids)).order_by(ROUTER_PORTS.c.port_id)))
            ports = self._ports(session, [port_id for _r, port_id, _t in owned])
            fips = self._floatingips(session, ids)
        result = {r['id']: self._router(r) for r in found}
        for router_id, port_id, port_type in owned:
            port = ports.get(port_id)
            if port is None:
                continue
            if port_type == const.DEVICE_OWNER_ROUTER_GW:
                result[router_id]['gw_port'] = port
                result[router_id]['external_network_id'] = port['network_id']
            else:
                result[router_id]['_interfaces'].append(port)
        for fip in fips:
            result[fip['router_id']]['_floatingips'].append(fip)
        return [result[i] for i in ids]

    @staticmethod
    def _router(row):
        return {'id': row['id'], 'name': row['name'], 'tenant_id': row['tenant_id'],
                'admin_state_up': row['admin_state_up'], 'status': row['status'],
                'enable_snat': row['enable_snat'], 'gw_port': None,
                'external_network_id': None, '_interfaces': [], '_floatingips': []}

    def _ports(self, session, port_ids):
        """{port id: port dict (with extensions) + 'subnets'}."""
        if not port_ids:
            return {}
        ports = self.ports.load(session, port_ids)
        subnet_ids = {ip['subnet_id'] for port in ports for ip in port['fixed_ips']}
        subnets = {row.id: {'id': row.id, 'cidr': row.cidr, 'gateway_ip': row.gateway_ip}
                   for row in session.execute(
                       sa.select(SUBNETS.c.id, SUBNETS.c.cidr, SUBNETS.c.gateway_ip)
                       .where(SUBNETS.c.id.in_(list(subnet_ids))))} if subnet_ids else {}
        for port in ports:
            seen = []
            for ip in port['fixed_ips']:
                if ip['subnet_id'] in subnets and subnets[ip['subnet_id']] not in seen:
                    seen.append(subnets[ip['subnet_id']])
            port['subnets'] = seen
        return {port['id']: port for port in ports}

    @staticmethod
    def _floatingips(session, router_ids):
        return [{'id': row.id, 'floating_ip_address': row.floating_ip_address,
                 'fixed_ip_address': row.fixed_ip_address, 'port_id': row.fixed_port_id,
                 'router_id': row.router_id, 'status': row.status}
                for row in session.execute(
                    sa.select(FIPS.c.id, FIPS.c.floating_ip_address, FIPS.c.status,
                              ASSOC.c.fixed_ip_address, ASSOC.c.fixed_port_id,
                              ASSOC.c.router_id)
                    .join(ASSOC, ASSOC.c.floatingip_id == FIPS.c.id)
                    .where(ASSOC.c.router_id.in_(router_ids)).order_by(FIPS.c.id))]

    def set_fip_statuses(self, router_id, statuses):
        """Set the reported statuses; the router's other floating IPs become DOWN. Unknown
        ids and statuses are ignored. Returns {id: status} of the rows changed."""
        statuses = {k: v for k, v in (statuses or {}).items() if v in FIP_STATUSES}

        def run(session):
            changed = {}
            current = dict(session.execute(
                sa.select(FIPS.c.id, FIPS.c.status).where(sa.or_(
                    FIPS.c.id.in_(list(statuses)),
                    FIPS.c.id.in_(sa.select(ASSOC.c.floatingip_id).where(
                        ASSOC.c.router_id == router_id))))).all())
            for fip_id, old in current.items():
                new = statuses.get(fip_id, const.NET_STATUS_DOWN)
                if new != old:
                    changed[fip_id] = new
            for new in set(changed.values()):
                ids = [k for k, v in changed.items() if v == new]
                session.execute(FIPS.update().where(FIPS.c.id.in_(ids)).values(
                    status=new, updated_at=rows.utcnow()))
            return changed
        return self._write(run)
