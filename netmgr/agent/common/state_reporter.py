"""Heartbeats of an agent: ``state()`` sent every ``interval`` seconds on its own thread; a
failed report is logged and the next one tried (the first successful one carries
start_flag). With ``on_revived``, every report waits for the server's answer (a call, as
Neutron's OVS agent reports), so that an outage of the server or the broker shows as a failed
report; the first report that succeeds after one failed calls ``on_revived``: casts sent
meanwhile may be lost."""

import logging
import threading

LOG = logging.getLogger(__name__)


class StateReporter:
    def __init__(self, reports_api, context, state, interval, on_revived=None):
        self.reports_api = reports_api
        self.context = context
        self.state = state          # callable(start_flag) -> dict
        self.interval = interval
        self.on_revived = on_revived
        self._stop = threading.Event()
        self._first = True
        self._failed = False
        self._thread = threading.Thread(target=self._run, name='state-reporter', daemon=True)

    def report(self):
        try:
            self.reports_api.report_state(self.context, self.state(self._first),
                                          use_call=self._first or self.on_revived is not None)
            self._first = False
        except Exception as exc:
            LOG.warning('state report failed: %s', exc)
            self._failed = True
            return
        if self._failed:
            self._failed = False
            LOG.info('state report succeeded again')
            if self.on_revived is not None:
                self.on_revived()

    def _run(self):
        while not self._stop.is_set():
            self.report()
            self._stop.wait(self.interval)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
