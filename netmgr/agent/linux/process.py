"""Daemons an agent runs in a namespace (dnsmasq), known by their pid file.

A process is ours when the pid file names a live process whose command line contains our
``uuid`` (the network id): a recycled pid or a zombie does not count, so nothing foreign is
ever signalled. Signals go through the executor (``kill``) so a root helper applies.
"""

import logging
import os
import time

from netmgr import exceptions

LOG = logging.getLogger(__name__)
STOP_TIMEOUT = 5.0


def read_pid(pid_file):
    try:
        with open(pid_file) as f:
            return int(f.read().strip() or 0) or None
    except (OSError, ValueError):
        return None


def read_cmdline(pid):
    """The argv of a live process, or [] (gone, or a zombie)."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            raw = f.read()
    except OSError:
        return []
    return [word.decode(errors='replace') for word in raw.split(b'\0') if word]


class ProcessManager:
    def __init__(self, executor, uuid, pid_file, namespace=None):
        self.executor = executor
        self.uuid = uuid
        self.pid_file = pid_file
        self.namespace = namespace

    @property
    def pid(self):
        return read_pid(self.pid_file)

    def cmdline(self):
        pid = self.pid
        if pid is None:
            return []
        cmdline = read_cmdline(pid)
        return cmdline if any(self.uuid in word for word in cmdline) else []

    def active(self):
        return bool(self.cmdline())

    def spawn(self, cmd):
        """Run ``cmd`` (a daemon that writes ``pid_file``) in the namespace."""
        self.executor.execute(cmd, namespace=self.namespace)
        if not self.active():
            raise exceptions.AgentError(reason='%s did not start (pid file %s)' % (
                cmd[0], self.pid_file))
        LOG.info('%s of %s started (pid %s)', cmd[0], self.uuid, self.pid)

    def signal(self, name):
        pid = self.pid
        if pid is None or not self.active():
            return False
        LOG.debug('kill -%s %s (%s)', name, pid, self.uuid)
        self.executor.execute(['kill', '-%s' % name, str(pid)], check_exit_code=False)
        return True

    def reload(self):
        """SIGHUP; False when the process is not running."""
        return self.signal('HUP')

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, SIGKILL after ``timeout``; the pid file goes too."""
        if self.signal('TERM'):
            deadline = time.monotonic() + timeout
            while self.active() and time.monotonic() < deadline:
                time.sleep(0.02)
            if self.active():
                self.signal('KILL')
        try:
            os.unlink(self.pid_file)
        except FileNotFoundError:
            pass


class ProcessMonitor:
    """Respawns registered processes that died: ``check()`` calls the respawn callback of
    each one that is not active (the agent calls it every process_check_interval)."""

    def __init__(self):
        self._watched = {}

    def register(self, uuid, manager, respawn):
        self._watched[uuid] = (manager, respawn)

    def unregister(self, uuid):
        self._watched.pop(uuid, None)

    def __contains__(self, uuid):
        return uuid in self._watched

    def check(self):
        """Respawn the dead; returns the uuids respawned."""
        respawned = []
        for uuid, (manager, respawn) in list(self._watched.items()):
            if manager.active():
                continue
            LOG.warning('process of %s (pid file %s, pid %s) is not running: respawning',
                        uuid, manager.pid_file, manager.pid)
            try:
                respawn()
                respawned.append(uuid)
            except Exception as exc:
                LOG.error('respawning the process of %s failed: %s', uuid, exc)
        return respawned
