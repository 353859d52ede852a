"""agents: rows kept fresh by agents' state reports; admins list, show, disable and delete them.

An agent is alive while its last heartbeat is younger than ``agent_down_time``.
"""

import datetime
import json

import sqlalchemy as sa

from netmgr.db.models import agents
from netmgr.db import api as db_api
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.services import interface
from netmgr.services import rows

AGENTS = agents.Agent.__table__
REPORTED = ('agent_type', 'binary', 'topic', 'host')


def visible_agents(context):
    """SQL condition equivalent to the default get_agent rule (admin only)."""
    return sa.true() if context.is_admin else sa.false()


def _ts(value):
    # Neutron shows agent times without a zone: 'YYYY-MM-DD HH:MM:SS'.
    return value.strftime('%Y-%m-%d %H:%M:%S') if value else None


class AgentService(interface.ResourceService):
    collection = 'agents'

    def __init__(self, db, conf, retries=20, clock=rows.utcnow):
        self.db = db
        self.conf = conf
        self.clock = clock
        self._write = db_api.RetriedWriter(db, retries)

    # ---- liveness ------------------------------------------------------------------------

    def _down_before(self):
        return self.clock() - datetime.timedelta(seconds=self.conf.agent_down_time)

    def _is_alive(self, heartbeat):
        return heartbeat is not None and heartbeat >= self._down_before()

    def alive_agents(self, agent_type, host, session=None):
        """Rows of live, admin-up agents of this type on this host (for port binding), read
        in ``session`` when the caller is inside a transaction."""
        if session is None:
            with self.db.reader() as own:
                return self.alive_agents(agent_type, host, session=own)
        return [dict(r) for r in session.execute(sa.select(AGENTS).where(
            AGENTS.c.agent_type == agent_type, AGENTS.c.host == host,
            AGENTS.c.admin_state_up.is_(True),
            AGENTS.c.heartbeat_timestamp >= self._down_before())).mappings()]

    # ---- reads ---------------------------------------------------------------------------

    def not_found(self, resource_id):
        return exceptions.AgentNotFound(id=resource_id)

    def _to_dict(self, row):
        data = {k: row[k] for k in ('id', 'agent_type', 'binary', 'topic', 'host',
                                    'admin_state_up', 'description')}
        data['created_at'] = _ts(row['created_at'])
        data['started_at'] = _ts(row['started_at'])
        data['heartbeat_timestamp'] = _ts(row['heartbeat_timestamp'])
        data['alive'] = self._is_alive(row['heartbeat_timestamp'])
        data['configurations'] = json.loads(row['configurations'] or '{}')
        data['availability_zone'] = None
        return data

    def get_row(self, session, context, agent_id):
        return rows.fetch_visible(session, AGENTS, agent_id, visible_agents(context),
                                  self.not_found(agent_id))

    def get(self, context, agent_id):
        with self.db.reader() as session:
            return self._to_dict(self.get_row(session, context, agent_id))

    def policy_target(self, context, agent_id):
        return self.get(context, agent_id)

    def list(self, context, query):
        conditions = []
        alive = query.filters.get('alive')
        if alive and set(alive) != {True, False}:
            fresh = AGENTS.c.heartbeat_timestamp >= self._down_before()
            conditions.append(fresh if alive[0] else sa.not_(fresh))
        with self.db.reader() as session:
            found, _stmt = listing.fetch_page(session, AGENTS, visible_agents(context), query,
                                              conditions=conditions, skip=('alive',))
            return [self._to_dict(r) for r in found]

    # ---- writes --------------------------------------------------------------------------

    def create(self, context, data):
        raise exceptions.MethodNotAllowed(method='POST', path='agents')

    def create_bulk(self, context, items):
        raise exceptions.MethodNotAllowed(method='POST', path='agents')

    def update(self, context, agent_id, data):
        def run(session):
            self.get_row(session, context, agent_id)
            values = dict(data)
            if 'description' in values and values['description'] is None:
                values['description'] = ''
            if values:
                session.execute(AGENTS.update().where(AGENTS.c.id == agent_id)
                                .values(**values))
        self._write(run)
        return self.get(context, agent_id)

    def delete(self, context, agent_id):
        def run(session):
            self.get_row(session, context, agent_id)
            session.execute(AGENTS.delete().where(AGENTS.c.id == agent_id))
        self._write(run)

    def report_state(self, agent_state):
        """Create or refresh the row of the reporting agent; returns its id. A report with
        start_flag marks a (re)start."""
        missing = [k for k in REPORTED if not agent_state.get(k)]
        if missing:
            raise exceptions.InvalidInput(
                error_message='agent state report lacks %s' % ', '.join(missing))
        configurations = json.dumps(agent_state.get('configurations') or {}, sort_keys=True)

        def run(session):
            now = self.clock()
            row = session.execute(sa.select(AGENTS.c.id).where(
                AGENTS.c.agent_type == agent_state['agent_type'],
                AGENTS.c.host == agent_state['host'])).first()
            if row is None:
                agent_id = rows.new_id()
                session.execute(AGENTS.insert().values(
                    id=agent_id, agent_type=agent_state['agent_type'],
                    binary=agent_state['binary'], topic=agent_state['topic'],
                    host=agent_state['host'], admin_state_up=True, description='',
                    created_at=now, started_at=now, heartbeat_timestamp=now,
                    configurations=configurations))
                return agent_id
            values = dict(binary=agent_state['binary'], topic=agent_state['topic'],
                          heartbeat_timestamp=now, configurations=configurations)
            if agent_state.get('start_flag'):
                values['started_at'] = now
            session.execute(AGENTS.update().where(AGENTS.c.id == row.id).values(**values))
            return row.id
        return self._write(run)
