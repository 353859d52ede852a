"""What every agent command does once its agent is built: serve the agent's fanout
notification topic, report its state on a timer, run it until SIGTERM/SIGINT, then stop
the RPC parts. What the agent made on the host stays: traffic goes on while it is down."""

import logging
import signal

from netmgr.agent.common import state_reporter
from netmgr.rpc import reports_api
from netmgr.rpc import transport as rpc_transport

LOG = logging.getLogger(__name__)


def run(conf, agent, transport, topic, endpoint, description, on_stop=(), on_revived=None,
        report_timeout=None):
    """Run ``agent`` (``run()``/``stop()``, ``context``, ``state()``) until a signal;
    ``on_stop`` are called after RPC stopped; ``on_revived`` when the server answers the
    state reports again after it did not (each report then waits up to ``report_timeout``
    seconds for the answer). Returns the exit code."""
    server = rpc_transport.get_server(transport, topic, conf.host, [endpoint])
    server.start()
    reporter = state_reporter.StateReporter(reports_api.ReportStateAPI(transport,
                                                                       timeout=report_timeout),
                                            agent.context, agent.state,
                                            conf.AGENT.report_interval,
                                            on_revived=on_revived)
    reporter.start()
    signal.signal(signal.SIGTERM, lambda *_: agent.stop())
    signal.signal(signal.SIGINT, lambda *_: agent.stop())
    LOG.info('%s of host %s running', description, conf.host)
    try:
        agent.run()
    finally:
        reporter.stop()
        server.stop()
        server.wait()
        for stop in on_stop:
            stop()
        transport.cleanup()
        LOG.info('%s stopped', description)
    return 0
