"""The main loop of an agent: a pass of its work when woken (a notification, a device event)
and at the latest every ``timeout()`` seconds. A failed pass is retried after a delay that
doubles from MIN_BACKOFF up to ``max_backoff``; a pass that succeeds resets it.

Inputs call ``wake()`` from any thread; ``run()`` is the agent's main thread until ``stop()``.
"""

import logging
import threading

LOG = logging.getLogger(__name__)
MIN_BACKOFF = 0.5


class AgentLoop:
    def __init__(self, work, timeout, max_backoff, batch_window=0.0, name='pass'):
        self.work = work                    # one pass; raising means: back off and retry
        self.timeout = timeout              # () -> seconds to wait for a wake at most
        self.max_backoff = max_backoff
        self.batch_window = batch_window    # after a wake, wait this long for more inputs
        self.name = name                    # what a pass does, for the log
        self.backoff = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()

    def wake(self):
        self._wake.set()

    @property
    def woken(self):
        """Whether a pass is due without waiting."""
        return self._wake.is_set()

    def stop(self):
        self._stop.set()
        self._wake.set()

    def run(self):
        while not self._stop.is_set():
            if self._wake.wait(self.timeout()) and self.batch_window:
                self._stop.wait(self.batch_window)
            if self._stop.is_set():
                return
            self._wake.clear()
            self.run_once()

    def run_once(self):
        """One pass; after a failure, wait out the backoff and ask for the next pass."""
        try:
            self.work()
        except Exception as exc:    # RPC timeouts, broker away, a command that failed
            self.backoff = min(self.max_backoff, max(MIN_BACKOFF, self.backoff * 2))
            LOG.warning('%s failed (%s); retrying in %.1fs', self.name, exc, self.backoff,
                        exc_info=LOG.isEnabledFor(logging.DEBUG))
            self._stop.wait(self.backoff)
            self._wake.set()
        else:
            self.backoff = 0.0
