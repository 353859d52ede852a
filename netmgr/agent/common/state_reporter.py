"""Heartbeats of an agent: ``state()`` sent every ``interval`` seconds on its own thread; a
failed report is logged and the next one tried (the first successful one carries
start_flag)."""

import logging
import threading

LOG = logging.getLogger(__name__)


class StateReporter:
    def __init__(self, reports_api, context, state, interval):
        self.reports_api = reports_api
        self.context = context
        self.state = state          # callable(start_flag) -> dict
        self.interval = interval
        self._stop = threading.Event()
        self._first = True
        self._thread = threading.Thread(target=self._run, name='state-reporter', daemon=True)

    def report(self):
        try:
            self.reports_api.report_state(self.context, self.state(self._first),
                                          use_call=self._first)
            self._first = False
        except Exception as exc:
            LOG.warning('state report failed: %s', exc)

    def _run(self):
        while not self._stop.is_set():
            self.report()
            self._stop.wait(self.interval)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
