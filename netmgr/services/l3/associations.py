"""Which fixed IP and router a floating IP maps to, and the association rows.

Runs inside the FloatingIPService's transaction. The association row is removed by the database
itself when the fixed IP is released (see netmgr.db.models.l3.FloatingIPAssociation).
"""

import netaddr
import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models import core
from netmgr.db.models import l3
from netmgr import exceptions

ASSOC = l3.FloatingIPAssociation.__table__
ROUTERS = l3.Router.__table__
ROUTER_PORTS = l3.RouterPort.__table__
PORTS = core.Port.__table__
ALLOCS = core.IPAllocation.__table__
EXTERNAL = core.ExternalNetwork.__table__


def bad_request(msg):
    return exceptions.BadRequest(resource='floatingip', msg=msg)


def _normalized(address):
    return str(netaddr.IPAddress(address))


def _routers_for(session, network_id, subnet_id, lock=False):
    """Routers with a gateway on ``network_id`` and an interface on ``subnet_id``."""
    gw_rp, gw_port = ROUTER_PORTS.alias('gw_rp'), PORTS.alias('gw_port')
    if_rp = ROUTER_PORTS.alias('if_rp')
    stmt = (sa.select(gw_rp.c.router_id)
            .join(gw_port, gw_port.c.id == gw_rp.c.port_id)
            .join(if_rp, if_rp.c.router_id == gw_rp.c.router_id)
            .join(ALLOCS, ALLOCS.c.port_id == if_rp.c.port_id)
            .where(gw_rp.c.port_type == const.DEVICE_OWNER_ROUTER_GW,
                   gw_port.c.network_id == network_id,
                   if_rp.c.port_type == const.DEVICE_OWNER_ROUTER_INTF,
                   ALLOCS.c.subnet_id == subnet_id)
            .order_by(gw_rp.c.router_id))
    if lock:
        stmt = stmt.with_for_update()
    return [router_id for (router_id,) in session.execute(stmt)]


class Associations:
    def __init__(self, port_service):
        self.ports = port_service

    # ---- reads ---------------------------------------------------------------------------

    @staticmethod
    def of(session, fip_ids_clause):
        """{floatingip_id: association row} for the floating IPs the clause selects."""
        return {row['floatingip_id']: row for row in session.execute(
            sa.select(ASSOC).where(fip_ids_clause)).mappings()}

    # ---- choosing the fixed IP and the router ---------------------------------------------

    def _fixed_ip(self, session, port, fixed_ip_address):
        """(subnet_id, address) of the port's fixed IP the floating IP maps to."""
        port_id = port['id']
        fixed = [(subnet_id, _normalized(address)) for subnet_id, address in session.execute(
            sa.select(ALLOCS.c.subnet_id, ALLOCS.c.ip_address)
            .where(ALLOCS.c.port_id == port_id).order_by(ALLOCS.c.ip_address))]
        ipv4 = [(s, a) for s, a in fixed if netaddr.IPAddress(a).version == 4]
        if fixed_ip_address is not None:
            wanted = _normalized(fixed_ip_address)
            match = [(s, a) for s, a in fixed if a == wanted]
            if not match:
                raise bad_request('Port %s does not have fixed ip %s' % (port_id, wanted))
            if netaddr.IPAddress(wanted).version != 4:
                raise bad_request('Cannot map a floating IP to the IPv6 address %s of port %s'
                                  % (wanted, port_id))
            return match[0]
        if not ipv4:
            raise bad_request('Cannot add floating IP to port %s that has no fixed IPv4 '
                              'addresses' % port_id)
        if len(ipv4) > 1:
            raise bad_request('Port %s has multiple fixed IPv4 addresses. Must provide a '
                              'specific IPv4 address when assigning a floating IP' % port_id)
        return ipv4[0]

    def _port(self, session, context, fip, port_id):
        port = self.ports.get_row(session, context, port_id)
        # Seeing a port (as its network's owner) is not owning it.
        if not context.is_admin and port['tenant_id'] != fip['tenant_id']:
            raise exceptions.PortNotFound(port_id=port_id)
        if session.execute(sa.select(EXTERNAL.c.network_id).where(
                EXTERNAL.c.network_id == port['network_id'])).first() is not None:
            raise bad_request('Port %s is on external network %s: floating IPs map to '
                              'ports on internal networks' % (port_id, port['network_id']))
        return port

    def _router(self, session, fip, port_id, subnet_id):
        network_id = fip['floating_network_id']
        found = _routers_for(session, network_id, subnet_id)
        if not found:
            raise exceptions.ExternalGatewayForFloatingIPNotFound(
                external_network_id=network_id, subnet_id=subnet_id, port_id=port_id)
        router_id = found[0]
        # Take turns with interface and gateway changes on this router (they lock it too),
        # then read the router's ports again with a locking read that sees committed rows.
        session.execute(sa.select(ROUTERS.c.id).where(ROUTERS.c.id == router_id)
                        .with_for_update())
        if router_id not in _routers_for(session, network_id, subnet_id, lock=True):
            raise exceptions.RetryRequest(reason='router %s changed' % router_id)
        return router_id

    # ---- writes --------------------------------------------------------------------------

    def associate(self, session, context, fip, port_id, fixed_ip_address):
        """Map ``fip`` (a floatingips row) to the port's fixed IP; returns the new row."""
        port = self._port(session, context, fip, port_id)
        subnet_id, address = self._fixed_ip(session, port, fixed_ip_address)
        router_id = self._router(session, fip, port_id, subnet_id)
        current = self.of(session, ASSOC.c.floatingip_id == fip['id']).get(fip['id'])
        values = dict(floatingip_id=fip['id'], floating_network_id=fip['floating_network_id'],
                      fixed_port_id=port_id, fixed_subnet_id=subnet_id,
                      fixed_ip_address=address, router_id=router_id)
        if current is not None and dict(current) == values:
            return values
        taken = session.execute(sa.select(ASSOC.c.floatingip_id).where(
            ASSOC.c.fixed_subnet_id == subnet_id, ASSOC.c.fixed_ip_address == address,
            ASSOC.c.floating_network_id == fip['floating_network_id'],
            ASSOC.c.floatingip_id != fip['id'])).first()
        if taken is not None:
            raise exceptions.FloatingIPPortAlreadyAssociated(
                floating_ip_address=fip['floating_ip_address'], fip_id=fip['id'],
                port_id=port_id, fixed_ip=address, net_id=fip['floating_network_id'])
        self.disassociate(session, fip['id'])
        # A concurrent association of the same fixed IP makes this insert a duplicate entry:
        # the call is retried and then answered by the check above.
        session.execute(ASSOC.insert().values(**values))
        return values

    @staticmethod
    def disassociate(session, fip_id):
        session.execute(ASSOC.delete().where(ASSOC.c.floatingip_id == fip_id))
