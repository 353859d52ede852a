"""The server's side of every agent's state reports (TOPIC_REPORTS), paired with
netmgr.rpc.reports_api (see it for the version history)."""

import logging

import oslo_messaging

from netmgr.rpc import reports_api

LOG = logging.getLogger(__name__)


class ReportsEndpoint:
    target = oslo_messaging.Target(version=reports_api.VERSION)

    def __init__(self, agents):
        self.agents = agents

    def report_state(self, context, agent_state, time=None):
        agent_id = self.agents.report_state(agent_state)
        LOG.debug('state report from %s on %s (agent %s, sent %s)',
                  agent_state.get('agent_type'), agent_state.get('host'), agent_id, time)
        return agent_id
