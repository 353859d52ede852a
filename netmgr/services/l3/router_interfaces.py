"""A router's interfaces: ports on tenant subnets, added by subnet (the port takes the subnet's
gateway IP) or by an unused port, and removed by either. Runs inside the RouterService's
transaction; the answers are Neutron's {id, tenant_id, port_id, subnet_id, subnet_ids,
network_id}."""

import uuid

import netaddr
import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models import core
from netmgr.db.models import l3
from netmgr import exceptions
from netmgr.services import rows

ROUTER_PORTS = l3.RouterPort.__table__
FIP_ASSOC = l3.FloatingIPAssociation.__table__
PORTS = core.Port.__table__
ALLOCS = core.IPAllocation.__table__
SUBNETS = core.Subnet.__table__
EXTERNAL = core.ExternalNetwork.__table__
INTERFACE = const.DEVICE_OWNER_ROUTER_INTF


def _bad(msg):
    return exceptions.BadRequest(resource='router', msg=msg)


def parse_body(body, action):
    """(subnet_id, port_id) of an add/remove_router_interface body; one of them at least."""
    unknown = set(body) - {'subnet_id', 'port_id'}
    if unknown:
        raise _bad('Unrecognized attribute(s) %s' % ', '.join(sorted(unknown)))
    subnet_id, port_id = body.get('subnet_id'), body.get('port_id')
    if subnet_id is None and port_id is None:
        raise _bad('Either subnet_id or port_id must be specified')
    if action == 'add_router_interface' and subnet_id is not None and port_id is not None:
        raise _bad('Cannot specify both subnet-id and port-id')
    for value in (subnet_id, port_id):
        if value is not None and not _is_uuid(value):
            raise exceptions.InvalidInput(error_message="'%s' is not a valid UUID" % (value,))
    return subnet_id, port_id


def _is_uuid(value):
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


class RouterInterfaces:
    def __init__(self, port_service, subnet_service):
        self.ports = port_service
        self.subnets = subnet_service

    # ---- reads ---------------------------------------------------------------------------

    @staticmethod
    def has_interfaces(session, router_id):
        return session.execute(sa.select(ROUTER_PORTS.c.port_id).where(
            ROUTER_PORTS.c.router_id == router_id,
            ROUTER_PORTS.c.port_type == INTERFACE).limit(1)).first() is not None

    @staticmethod
    def _interface_subnets(session, router_id):
        """{subnet_id: port_id} of the router's interfaces."""
        return {subnet_id: port_id for subnet_id, port_id in session.execute(
            sa.select(ALLOCS.c.subnet_id, ALLOCS.c.port_id)
            .join(ROUTER_PORTS, ROUTER_PORTS.c.port_id == ALLOCS.c.port_id)
            .where(ROUTER_PORTS.c.router_id == router_id,
                   ROUTER_PORTS.c.port_type == INTERFACE))}

    @staticmethod
    def _answer(router, port_id, network_id, subnet_ids):
        return {'id': router['id'], 'tenant_id': router['tenant_id'], 'port_id': port_id,
                'subnet_id': subnet_ids[0] if subnet_ids else None,
                'subnet_ids': list(subnet_ids), 'network_id': network_id}

    # ---- checks --------------------------------------------------------------------------

    def _check_subnet(self, session, context, router, subnet):
        if not context.is_admin and subnet['tenant_id'] != context.tenant_id:
            raise exceptions.AdminRequired(
                reason='only the owner of subnet %s may add a router interface on it'
                       % subnet['id'])
        if session.execute(sa.select(EXTERNAL.c.network_id).where(
                EXTERNAL.c.network_id == subnet['network_id'])).first() is not None:
            raise _bad('Router interface cannot be on external network %s'
                       % subnet['network_id'])
        attached = self._interface_subnets(session, router['id'])
        if subnet['id'] in attached:
            raise _bad('Router already has a port on subnet %s' % subnet['id'])
        cidr = netaddr.IPNetwork(subnet['cidr'])
        for other in session.execute(sa.select(SUBNETS.c.id, SUBNETS.c.cidr).where(
                SUBNETS.c.id.in_(list(attached)))) if attached else ():
            if cidr in netaddr.IPNetwork(other.cidr) or netaddr.IPNetwork(other.cidr) in cidr:
                raise _bad('Cidr %s of subnet %s overlaps with cidr %s of subnet %s' % (
                    subnet['cidr'], subnet['id'], other.cidr, other.id))

    # ---- add and remove --------------------------------------------------------------------

    def add(self, session, context, router, subnet_id, port_id):
        if port_id is not None:
            return self._add_port(session, context, router, port_id)
        subnet = self.subnets.get_row(session, context, subnet_id)
        if not subnet['gateway_ip']:
            raise _bad('Subnet for router interface must have a gateway IP')
        self._check_subnet(session, context, router, subnet)
        port = self.ports.create_owned(
            session, subnet['network_id'], INTERFACE, router['id'],
            tenant_id=subnet['tenant_id'],
            fixed_ips=[{'subnet_id': subnet_id, 'ip_address': subnet['gateway_ip']}])
        self._link(session, router['id'], port['id'])
        return self._answer(router, port['id'], subnet['network_id'], [subnet_id])

    def _add_port(self, session, context, router, port_id):
        port = self.ports.get_row(session, context, port_id)
        if not context.is_admin and port['tenant_id'] != context.tenant_id:
            # Seeing a port (as its network's owner) is not owning it.
            raise exceptions.AdminRequired(
                reason='only the owner of port %s may make it a router interface' % port_id)
        if port['device_id'] or port['device_owner']:
            raise exceptions.PortInUse(port_id=port_id, net_id=port['network_id'],
                                       device_id=port['device_id'] or port['device_owner'])
        fixed = session.execute(sa.select(ALLOCS.c.subnet_id).where(
            ALLOCS.c.port_id == port_id)).all()
        if len(fixed) != 1:
            raise _bad('Router port must have exactly one fixed IP')
        subnet = self.subnets.get_row(session, context, fixed[0].subnet_id)
        self._check_subnet(session, context, router, subnet)
        session.execute(PORTS.update().where(PORTS.c.id == port_id).values(
            device_id=router['id'], device_owner=INTERFACE, updated_at=rows.utcnow()))
        self._link(session, router['id'], port_id)
        return self._answer(router, port_id, port['network_id'], [subnet['id']])

    @staticmethod
    def _link(session, router_id, port_id):
        session.execute(ROUTER_PORTS.insert().values(router_id=router_id, port_id=port_id,
                                                     port_type=INTERFACE))

    def remove(self, session, context, router, subnet_id, port_id):
        router_id = router['id']
        attached = self._interface_subnets(session, router_id)
        if port_id is not None:
            subnets = [s for s, p in attached.items() if p == port_id]
            if not subnets and not self._owns(session, router_id, port_id):
                raise exceptions.RouterInterfaceNotFound(router_id=router_id,
                                                         port_id=port_id)
            if subnet_id is not None and subnet_id not in subnets:
                raise exceptions.RouterInterfaceNotFoundForSubnet(router_id=router_id,
                                                                  subnet_id=subnet_id)
        else:
            self.subnets.get_row(session, context, subnet_id)
            if subnet_id not in attached:
                raise exceptions.RouterInterfaceNotFoundForSubnet(router_id=router_id,
                                                                  subnet_id=subnet_id)
            port_id = attached[subnet_id]
            subnets = [subnet_id]
        network_id = session.execute(sa.select(PORTS.c.network_id).where(
            PORTS.c.id == port_id)).scalar_one()
        self._check_no_floatingips(session, router_id, subnets)
        self.delete_port(session, port_id)
        return self._answer(router, port_id, network_id, sorted(subnets))

    @staticmethod
    def _check_no_floatingips(session, router_id, subnet_ids):
        # A locking read: it sees associations committed since this transaction began.
        used = session.execute(sa.select(FIP_ASSOC.c.fixed_subnet_id).where(
            FIP_ASSOC.c.router_id == router_id, FIP_ASSOC.c.fixed_subnet_id.in_(subnet_ids))
            .order_by(FIP_ASSOC.c.fixed_subnet_id).limit(1).with_for_update()).first()
        if used is not None:
            raise exceptions.RouterInterfaceInUseByFloatingIP(router_id=router_id,
                                                              subnet_id=used.fixed_subnet_id)

    @staticmethod
    def _owns(session, router_id, port_id):
        return session.execute(sa.select(ROUTER_PORTS.c.port_id).where(
            ROUTER_PORTS.c.router_id == router_id, ROUTER_PORTS.c.port_id == port_id,
            ROUTER_PORTS.c.port_type == INTERFACE)).first() is not None

    def delete_port(self, session, port_id):
        """Delete a router-owned port (addresses released) in the caller's transaction."""
        session.execute(ROUTER_PORTS.delete().where(ROUTER_PORTS.c.port_id == port_id))
        self.ports.delete_rows(session, port_id)
