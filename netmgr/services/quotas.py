"""Quotas: each project's limits (the [QUOTAS] defaults, overridden per project) and the check
that keeps creates within them.

``check()`` runs inside the create's own transaction, before its first other statement, and
serializes the checks of one project and resource on a lock row (``quota_locks``):

1. the limit is read with a locking read (``FOR SHARE``): an unlimited resource costs no lock;
2. the lock row is taken with ``SELECT ... FOR UPDATE`` (inserted on first use: two first
   users collide on its primary key or deadlock on MariaDB's gap lock, and the loser's whole
   call is retried by ``retry_on_race``);
3. rows are counted with a plain read. On PostgreSQL (READ COMMITTED) every statement sees what
   was committed before it, so the count includes the rows of whoever held the lock before. On
   MariaDB (REPEATABLE READ) a transaction reads from the snapshot of its first plain read: the
   lock is taken with locking reads only, so that snapshot is normally taken after the lock is
   held. Should a caller have read before checking, the snapshot could predate the previous
   holder's commit: each check bumps the lock row's ``generation``, and a checker whose snapshot
   shows an older generation than its locking read raises RetryRequest instead of counting.
   (Counting with a locking read instead would take next-key locks on the tenant_id index and
   make creates of neighbouring projects deadlock.) SQLite's writers are serialized already.
"""

import collections

import sqlalchemy as sa

from netmgr.conf import quotas as quota_conf
from netmgr.db import api as db_api
from netmgr.db.models import core
from netmgr.db.models import quotas
from netmgr import exceptions
from netmgr.services import rows

QUOTAS = quotas.Quota.__table__
LOCKS = quotas.QuotaLock.__table__
MAX_LIMIT = 2 ** 31 - 1          # Neutron's DB_INTEGER_MAX_VALUE
# Keys of an update body that are options, not limits (Neutron's quota-check-limit): 'force'
# (the default: set the limit whatever the usage) and 'check_limit' (refuse a limit below it).
UPDATE_OPTIONS = ('force', 'check_limit')
# Defaults for netmgr.api.policy.RULE_DEFAULTS (Neutron's). Reading one's own project's quota
# never consults them, as in Neutron.
POLICY_RULES = [
    ('get_quota', 'rule:admin_only'),
    ('update_quota', 'rule:admin_only'),
    ('delete_quota', 'rule:admin_only'),
]
_TRUE, _FALSE = ('true', '1', 'yes', 'on'), ('false', '0', 'no', 'off')


def _lock_row(key):
    project_id, resource = key
    return LOCKS.c.project_id == project_id, LOCKS.c.resource == resource


def _is_unlimited(limit):
    return limit < 0


def _to_bool(name, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
        return value.lower() in _TRUE
    raise exceptions.InvalidInput(error_message="'%s' is not a valid boolean value for %s"
                                  % (value, name))


def _to_limit(value):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise exceptions.InvalidInput(error_message="'%s' is not an integer" % (value,))
    try:
        limit = int(value)
    except ValueError:
        raise exceptions.InvalidInput(error_message="'%s' is not an integer" % value)
    if limit < quota_conf.UNLIMITED:
        raise exceptions.InvalidInput(error_message="'%s' is too small - must be at least "
                                      "'%d'" % (value, quota_conf.UNLIMITED))
    if limit > MAX_LIMIT:
        raise exceptions.InvalidInput(error_message="'%s' is too large - must be no larger "
                                      "than '%d'" % (value, MAX_LIMIT))
    return limit


class QuotaService:
    """Limits per project and their enforcement. ``policy`` (optional) is the API's policy
    engine, consulted with POLICY_RULES' actions; without one, only admins pass them."""

    def __init__(self, db, conf, policy=None, retries=20):
        self.db = db
        self.conf = conf
        self.policy = policy
        self._write = db_api.RetriedWriter(db, retries)
        # resource -> (the table's project column, extra conditions): what check() counts.
        self.count_sources = {}
        self.register_count_source('network', core.Network.__table__.c.tenant_id)
        self.register_count_source('subnet', core.Subnet.__table__.c.tenant_id)
        self.register_count_source('port', core.Port.__table__.c.tenant_id)

    @property
    def resources(self):
        return quota_conf.RESOURCES

    def register_count_source(self, resource, project_column, *conditions):
        """Count ``resource`` as the rows of ``project_column``'s table whose project column
        is the project (and that match ``conditions``); e.g. the L3 service registers
        ``register_count_source('router', ROUTERS.c.tenant_id)``."""
        if resource not in quota_conf.RESOURCES:
            raise ValueError('%r is not a quota resource (%s)' % (
                resource, ', '.join(quota_conf.RESOURCES)))
        self.count_sources[resource] = (project_column, conditions)

    # ---- authorization (Neutron's quotasv2 rules) -------------------------------------------

    def _authorize(self, context, action):
        if self.policy is not None:
            self.policy.enforce(context, action, {'project_id': context.tenant_id,
                                                  'tenant_id': context.tenant_id})
        elif not context.is_admin:
            raise exceptions.PolicyNotAuthorized(action=action)

    def _authorize_read(self, context, project_id):
        if project_id != context.tenant_id:
            self._authorize(context, 'get_quota')

    # ---- reads -------------------------------------------------------------------------------

    def _defaults(self):
        return quota_conf.defaults(self.conf)

    @staticmethod
    def _overrides(session, project_id=None):
        """{project_id: {resource: limit}} of stored overrides of known resources."""
        stmt = sa.select(QUOTAS.c.project_id, QUOTAS.c.resource, QUOTAS.c.limit).where(
            QUOTAS.c.resource.in_(quota_conf.RESOURCES))
        if project_id is not None:
            stmt = stmt.where(QUOTAS.c.project_id == project_id)
        found = collections.defaultdict(dict)
        for row in session.execute(stmt):
            found[row.project_id][row.resource] = row.limit
        return found

    def _limits(self, session, project_id):
        return dict(self._defaults(), **self._overrides(session, project_id)[project_id])

    def get(self, context, project_id):
        """{resource: limit} in effect for the project (owner or admin)."""
        self._authorize_read(context, project_id)
        with self.db.reader() as session:
            return self._limits(session, project_id)

    def get_default(self, context, project_id):
        """The configured defaults, whatever the project's overrides (owner or admin)."""
        self._authorize_read(context, project_id)
        return self._defaults()

    def list(self, context):
        """Effective limits of every project with an override, as Neutron lists them."""
        self._authorize(context, 'get_quota')
        defaults = self._defaults()
        with self.db.reader() as session:
            overrides = self._overrides(session)
        return [dict(defaults, project_id=project_id, tenant_id=project_id, **limits)
                for project_id, limits in sorted(overrides.items())]

    def _count(self, session, project_id, resource):
        column, conditions = self.count_sources[resource]
        return session.execute(sa.select(sa.func.count()).select_from(column.table).where(
            column == project_id, *conditions)).scalar_one()

    def _used(self, session, project_id):
        return {resource: self._count(session, project_id, resource)
                if resource in self.count_sources else 0 for resource in self.resources}

    def usage(self, context, project_id):
        """{resource: {limit, used, reserved}} (Neutron's quota details); owner or admin."""
        if project_id != context.tenant_id and not context.is_admin:
            raise exceptions.AdminRequired(
                reason='Only admin is authorized to access quotas for another tenant')
        with self.db.reader() as session:
            limits = self._limits(session, project_id)
            used = self._used(session, project_id)
        return {resource: {'limit': limits[resource], 'used': used[resource], 'reserved': 0}
                for resource in self.resources}

    # ---- writes (admin) ---------------------------------------------------------------------

    def _parse_update(self, body):
        if not isinstance(body, dict):
            raise exceptions.MalformedRequestBody(reason="'quota' must be an object")
        unknown = sorted(k for k in body if k not in self.resources and
                         k not in UPDATE_OPTIONS)
        if unknown:
            raise exceptions.InvalidInput(
                error_message="Unrecognized attribute(s) '%s'" % ', '.join(unknown))
        options = {k: _to_bool(k, body[k]) for k in UPDATE_OPTIONS if k in body}
        if options.get('force') and options.get('check_limit'):
            raise exceptions.InvalidInput(
                error_message="'force' and 'check_limit' cannot both be set")
        limits = {k: _to_limit(v) for k, v in body.items() if k in self.resources}
        return limits, options.get('check_limit', False)

    def _check_limits(self, session, project_id, limits):
        for resource, limit in sorted(limits.items()):
            if _is_unlimited(limit) or resource not in self.count_sources:
                continue
            used = self._count(session, project_id, resource)
            if used > limit:
                raise exceptions.InvalidInput(
                    error_message='Quota limit %d for %s must be greater than or equal to '
                                  'already used %d' % (limit, resource, used))

    def update(self, context, project_id, body):
        """Set some of a project's limits. ``body`` is the request's ``quota`` dict: limits
        (integers >= -1) and optionally 'force' / 'check_limit'. Returns the effective limits.
        """
        self._authorize(context, 'update_quota')
        limits, check_limit = self._parse_update(body)

        def run(session):
            if check_limit:
                self._check_limits(session, project_id, limits)
            stored = self._overrides(session, project_id)[project_id]
            for resource, limit in limits.items():
                if resource in stored:
                    session.execute(QUOTAS.update().where(
                        QUOTAS.c.project_id == project_id, QUOTAS.c.resource == resource)
                        .values(limit=limit))
                else:
                    session.execute(QUOTAS.insert().values(
                        id=rows.new_id(), project_id=project_id, resource=resource,
                        limit=limit))
            return self._limits(session, project_id)
        return self._write(run)

    def delete(self, context, project_id):
        """Back to the defaults. Idempotent (Neutron answers 404 when there was nothing)."""
        self._authorize(context, 'delete_quota')

        def run(session):
            session.execute(QUOTAS.delete().where(QUOTAS.c.project_id == project_id))
        self._write(run)

    # ---- enforcement -----------------------------------------------------------------------

    def check(self, session, project_id, resource, requested_count=1):
        """Raise OverQuota unless ``requested_count`` more ``resource`` fit in the project's
        limit. Call inside the creating transaction, before its other statements; the lock it
        takes is held until that transaction ends."""
        self.check_many(session, {(project_id, resource): requested_count})

    def check_items(self, session, resource, items, project_key='tenant_id'):
        """check() for a bulk create: the items counted per project."""
        counts = collections.Counter(item[project_key] for item in items)
        self.check_many(session, {(project, resource): n for project, n in counts.items()})

    def check_many(self, session, requests):
        """``requests``: {(project_id, resource): count}. All or nothing: OverQuota names every
        resource over its limit. Locks are taken in sorted order, so callers cannot deadlock
        on each other's lock rows."""
        wanted = {key: n for key, n in requests.items() if n > 0}
        defaults = self._defaults()
        limits, overs = {}, set()
        for key in sorted(wanted):
            project_id, resource = key
            if resource not in defaults:
                raise ValueError('%r is not a quota resource' % (resource,))
            limit = self._locked_limit(session, project_id, resource, defaults[resource])
            if _is_unlimited(limit):
                continue
            if resource not in self.count_sources:
                raise ValueError('no count source registered for quota resource %r' % resource)
            if wanted[key] > limit:
                overs.add(resource)
            limits[key] = limit
        if overs:
            raise exceptions.OverQuota(overs=sorted(overs))
        held = self._lock(session, sorted(limits))
        for key in sorted(limits):
            if self._count_locked(session, key, held[key]) + wanted[key] > limits[key]:
                overs.add(key[1])
        if overs:
            raise exceptions.OverQuota(overs=sorted(overs))

    @staticmethod
    def _locked_limit(session, project_id, resource, default):
        # A locking read: unlike a plain one it does not fix MariaDB's snapshot (see above).
        limit = session.execute(sa.select(QUOTAS.c.limit).where(
            QUOTAS.c.project_id == project_id, QUOTAS.c.resource == resource)
            .with_for_update(read=True)).scalar()
        return default if limit is None else limit

    @staticmethod
    def _lock(session, keys):
        """Lock (or create) each key's lock row, in the given order; returns
        {key: generation seen by the locking read, None for a row just created}."""
        held = {}
        for key in keys:
            held[key] = session.execute(sa.select(LOCKS.c.generation).where(*_lock_row(key))
                                        .with_for_update()).scalar()
            if held[key] is None:
                session.execute(LOCKS.insert().values(project_id=key[0], resource=key[1],
                                                      generation=1))
        return held

    def _count_locked(self, session, key, generation):
        """Rows of ``key``, counted once its lock is held; bumps the lock row's generation.

        The lock row's generation is read in the same plain statement as the count, so from
        the same snapshot: if it differs from the locking read's, the snapshot predates the
        previous holder's commit and the count could miss its rows."""
        project_id, resource = key
        column, conditions = self.count_sources[resource]
        count = sa.select(sa.func.count()).select_from(column.table).where(
            column == project_id, *conditions).scalar_subquery()
        if generation is None:  # first check ever of this key: no earlier holder to miss
            return session.execute(sa.select(count)).scalar_one()
        seen = sa.select(LOCKS.c.generation).where(*_lock_row(key)).scalar_subquery()
        seen, used = session.execute(sa.select(seen, count)).one()
        if seen != generation:
            raise exceptions.RetryRequest(
                reason='quota check of %s/%s read an old snapshot' % key)
        session.execute(LOCKS.update().where(*_lock_row(key)).values(generation=generation + 1))
        return used
