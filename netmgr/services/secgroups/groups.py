"""security_groups: CRUD and each tenant's 'default' group, made on first need."""

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import secgroups
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.services import interface
from netmgr.services import notifier as notifier_mod
from netmgr.services import rows
from netmgr.services.secgroups import rules as sg_rules

GROUPS = secgroups.SecurityGroup.__table__
DEFAULTS = secgroups.DefaultSecurityGroup.__table__
BINDINGS = secgroups.SecurityGroupPortBinding.__table__
RULES = secgroups.SecurityGroupRule.__table__
COLUMNS = ('id', 'tenant_id', 'name', 'description', 'created_at', 'updated_at')
DEFAULT_DESCRIPTION = 'Default security group'


def _insert_group(session, tenant_id, name, description):
    now = rows.utcnow()
    values = {'id': rows.new_id(), 'tenant_id': tenant_id, 'name': name,
              'description': description, 'created_at': now, 'updated_at': now}
    session.execute(GROUPS.insert().values(**values))
    rules = [sg_rules.insert_rule(session, {
        'tenant_id': tenant_id, 'security_group_id': values['id'], 'direction': const.EGRESS,
        'ethertype': ethertype}) for ethertype in (const.IPV4, const.IPV6)]
    return values, rules


def default_group_id(session, tenant_id):
    """The tenant's default group, created (with Neutron's four rules) if it has none.

    Two transactions creating it at once both insert the tenant's default_security_group
    row; the second fails on its primary key and its whole call is retried, finding the
    first one's group. Not counted against the tenant's quota when made."""
    found = session.execute(sa.select(DEFAULTS.c.security_group_id).where(
        DEFAULTS.c.tenant_id == tenant_id)).scalar()
    if found is not None:
        return found
    values, _rules = _insert_group(session, tenant_id, const.DEFAULT_SECURITY_GROUP,
                                   DEFAULT_DESCRIPTION)
    session.execute(DEFAULTS.insert().values(tenant_id=tenant_id,
                                             security_group_id=values['id']))
    for ethertype in (const.IPV4, const.IPV6):
        sg_rules.insert_rule(session, {
            'tenant_id': tenant_id, 'security_group_id': values['id'],
            'direction': const.INGRESS, 'ethertype': ethertype,
            'remote_group_id': values['id']})
    return values['id']


class SecurityGroupService(interface.ResourceService):
    collection = 'security_groups'

    def __init__(self, db, retries=20, quotas=None, notifier=None):
        self.db = db
        self.quotas = quotas
        self.notifier = notifier or notifier_mod.NullNotifier()
        self._write = db_api.RetriedWriter(db, retries)
        if quotas is not None:
            quotas.register_count_source('security_group', GROUPS.c.tenant_id)

    def not_found(self, resource_id):
        return exceptions.SecurityGroupNotFound(id=resource_id)

    # ---- the default group ----------------------------------------------------------------

    def ensure_default(self, tenant_id):
        """In its own transaction (a list call is read-only otherwise)."""
        with self.db.reader() as session:
            if session.execute(sa.select(DEFAULTS.c.tenant_id).where(
                    DEFAULTS.c.tenant_id == tenant_id)).first() is not None:
                return

        def run(session):
            default_group_id(session, tenant_id)
        self._write(run)

    @staticmethod
    def _is_default(session, group_id):
        return session.execute(sa.select(DEFAULTS.c.tenant_id).where(
            DEFAULTS.c.security_group_id == group_id)).first() is not None

    # ---- reads ----------------------------------------------------------------------------

    def get_row(self, session, context, group_id):
        return rows.fetch_visible(session, GROUPS, group_id, sg_rules.visible_groups(context),
                                  self.not_found(group_id))

    @staticmethod
    def _with_rules(session, found):
        rules = sg_rules.rules_of_groups(session, [r['id'] for r in found])
        result = []
        for row in found:
            group = rows.to_api(row, COLUMNS)
            group['security_group_rules'] = rules.get(row['id'], [])
            result.append(group)
        return result

    def get(self, context, group_id):
        with self.db.reader() as session:
            return self._with_rules(session, [self.get_row(session, context, group_id)])[0]

    def policy_target(self, context, group_id):
        return self.get(context, group_id)

    def list(self, context, query):
        query = rows.normalize_query(query)
        # As Neutron: listing makes sure the tenant asked about (or the caller's) has its
        # default group, so clients find it by name right away.
        tenants = query.filters.get('tenant_id') or [context.tenant_id]
        tenant = tenants[0] if len(tenants) == 1 else None
        if tenant and (context.is_admin or tenant == context.tenant_id):
            self.ensure_default(tenant)
        with self.db.reader() as session:
            found, _stmt = listing.fetch_page(session, GROUPS, sg_rules.visible_groups(context),
                                              query)
            return self._with_rules(session, found) if found else []

    # ---- writes ---------------------------------------------------------------------------

    def create_bulk(self, context, items):
        for item in items:
            if item['name'] == const.DEFAULT_SECURITY_GROUP:
                raise exceptions.SecurityGroupDefaultAlreadyExists()

        return self.create_items('security_group', items, self._create)

    @staticmethod
    def _create(session, item):
        default_group_id(session, item['tenant_id'])
        values, rules = _insert_group(session, item['tenant_id'], item['name'],
                                      item['description'])
        group = rows.to_api(values, COLUMNS)
        group['security_group_rules'] = rules
        return group

    def update(self, context, group_id, data):
        if data.get('name') == const.DEFAULT_SECURITY_GROUP:
            raise exceptions.SecurityGroupDefaultAlreadyExists()

        def run(session):
            self.get_row(session, context, group_id)
            if 'name' in data and self._is_default(session, group_id):
                raise exceptions.SecurityGroupCannotUpdateDefault()
            session.execute(GROUPS.update().where(GROUPS.c.id == group_id)
                            .values(updated_at=rows.utcnow(), **data))
        self._write(run)
        return self.get(context, group_id)

    def delete(self, context, group_id):
        def run(session):
            self.get_row(session, context, group_id)
            if not context.is_admin and self._is_default(session, group_id):
                raise exceptions.SecurityGroupCannotRemoveDefault()
            used = session.execute(sa.select(BINDINGS.c.port_id).where(
                BINDINGS.c.security_group_id == group_id).limit(1)).first()
            if used is not None:
                raise exceptions.SecurityGroupInUse(id=group_id, reason='in use')
            # groups whose rules name this one as remote lose those rules with it
            referring = session.execute(sa.select(RULES.c.security_group_id).where(
                RULES.c.remote_group_id == group_id)).scalars().all()
            session.execute(GROUPS.delete().where(GROUPS.c.id == group_id))
            return [g for g in referring if g != group_id]
        referring = self._write(run)
        if referring:
            self.notifier.security_groups_rule_updated(context, referring)
