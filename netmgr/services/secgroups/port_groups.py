"""security_groups on ports: the tenant's default group unless the request names groups;
none for ports the network itself owns (DHCP, router) or without port security."""

import sqlalchemy as sa

from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api.definitions import securitygroup as sg_def
from netmgr import constants as const
from netmgr.db.models import secgroups
from netmgr import exceptions
from netmgr.services.extensions import base
from netmgr.services.extensions import port_security
from netmgr.services.secgroups import groups
from netmgr.services.secgroups import rules as sg_rules

SG = sg_def.SECURITYGROUPS
BINDINGS = secgroups.SecurityGroupPortBinding.__table__


class PortSecurityGroups(base.AttributeExtension):
    collection = 'ports'
    attributes = (SG,)
    reads = (port_security.PS,)

    def _check(self, session, context, port, group_ids):
        if group_ids and not port_security.port_enabled(session, port):
            raise exceptions.PortSecurityAndIPRequiredForSecurityGroups()
        for group_id in group_ids:
            sg_rules.check_group_visible(session, context, group_id)

    def _bind(self, session, port_id, group_ids):
        if group_ids:
            session.execute(BINDINGS.insert(), [{'port_id': port_id, 'security_group_id': g}
                                                for g in group_ids])

    def create(self, session, context, resource, data):
        group_ids = data.get(SG, ATTR_NOT_SPECIFIED)
        if group_ids is ATTR_NOT_SPECIFIED:
            trusted = resource['device_owner'].startswith(const.DEVICE_OWNER_PREFIX_NETWORK)
            if trusted or not port_security.port_enabled(session, resource):
                group_ids = []
            else:
                group_ids = [groups.default_group_id(session, resource['tenant_id'])]
        else:
            self._check(session, context, resource, group_ids)
        self._bind(session, resource['id'], group_ids)
        resource[SG] = sorted(group_ids)

    def update(self, session, context, resource, data):
        group_ids = data[SG]
        self._check(session, context, resource, group_ids)
        session.execute(BINDINGS.delete().where(BINDINGS.c.port_id == resource['id']))
        self._bind(session, resource['id'], group_ids)
        resource[SG] = sorted(group_ids)

    def extend(self, session, resources, ids):
        found = {}
        for port_id, group_id in session.execute(
                sa.select(BINDINGS.c.port_id, BINDINGS.c.security_group_id)
                .where(BINDINGS.c.port_id.in_(ids))
                .order_by(BINDINGS.c.security_group_id)):
            found.setdefault(port_id, []).append(group_id)
        for resource in resources:
            resource[SG] = found.get(resource['id'], [])

    def filter(self, name, values):
        raise exceptions.InvalidFilter(filter=name)
