"""Agents -> server: state reports (heartbeats). Paired with
netmgr.services.rpc.reports.ReportsEndpoint.

Version history:
    1.0 - report_state(agent_state, time)
"""

import datetime

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport

VERSION = '1.0'


class ReportStateAPI:
    def __init__(self, transport, timeout=None):
        self.client = rpc_transport.get_client(transport, const.TOPIC_REPORTS, VERSION,
                                               timeout=timeout)

    def report_state(self, context, agent_state, use_call=False):
        """``agent_state``: binary, host, topic, agent_type, configurations and, on the first
        report after a start, start_flag=True. ``use_call`` waits for the server."""
        now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')
        cctxt = self.client.prepare()
        method = cctxt.call if use_call else cctxt.cast
        return method(context, 'report_state', agent_state=agent_state, time=now)
