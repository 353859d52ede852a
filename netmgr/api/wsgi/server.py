"""Serve a WSGI app with eventlet: one process, or N forked workers sharing one socket.

Each worker builds its own app (and so its own database engine) after the fork.
"""

import errno
import logging
import os
import signal
import time

import eventlet
import eventlet.wsgi

LOG = logging.getLogger(__name__)


class _QuietLog:
    """eventlet.wsgi writes one access line per request; send it to DEBUG."""

    def write(self, line):
        LOG.debug(line.rstrip())


class WsgiServer:
    def __init__(self, app_factory, host, port, workers=1, pool_size=1000):
        self.app_factory = app_factory
        self.workers = workers
        self.pool_size = pool_size
        self.socket = eventlet.listen((host, port), backlog=1024)
        self.host, self.port = self.socket.getsockname()[:2]
        self._children = set()
        self._stopping = False

    def serve_forever(self):
        LOG.info('netmgr API listening on http://%s:%s/ with %d worker(s)',
                 self.host, self.port, self.workers)
        if self.workers <= 1:
            self._serve()
            return
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for _ in range(self.workers):
            self._spawn()
        while self._children:
            try:
                pid, _status = os.wait()
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                break
            self._children.discard(pid)
            if not self._stopping:
                LOG.warning('API worker %d exited; starting another', pid)
                time.sleep(0.1)
                self._spawn()

    def _spawn(self):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                self._serve()
            finally:
                os._exit(0)
        self._children.add(pid)

    def _serve(self):
        eventlet.wsgi.server(self.socket, self.app_factory(), log=_QuietLog(),
                             max_size=self.pool_size, keepalive=True, debug=False,
                             socket_timeout=900)

    def _stop(self, _signum, _frame):
        self._stopping = True
        for pid in list(self._children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                self._children.discard(pid)
