"""The process manager and monitor on real (harmless) processes."""

import os
import subprocess
import sys
import time

import pytest

from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import process


class SpawningExecutor(agent_executor.Executor):
    """Runs ``kill`` for real; a spawn starts a sleeping Python with the cmd as arguments
    (so the uuid is in its command line) and writes its pid file."""

    def __init__(self, pid_file):
        super().__init__()
        self.pid_file = pid_file
        self.children = []
        self.commands = []

    def execute(self, cmd, namespace=None, **kwargs):
        self.commands.append(list(cmd))
        if cmd[0] == 'kill':
            return super().execute(cmd, **kwargs)
        child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'] +
                                 list(cmd))
        self.children.append(child)
        deadline = time.monotonic() + 10
        while not process.read_cmdline(child.pid) and time.monotonic() < deadline:
            time.sleep(0.005)   # like a daemon, write the pid file once really running
        with open(self.pid_file, 'w') as f:
            f.write('%d\n' % child.pid)
        return ''


@pytest.fixture
def spawner(tmp_path):
    executor = SpawningExecutor(str(tmp_path / 'pid'))
    yield executor
    for child in executor.children:
        if child.poll() is None:
            child.kill()
        child.wait()


def test_process_manager_spawn_reload_stop(spawner):
    manager = process.ProcessManager(spawner, 'net-1234', spawner.pid_file)
    assert not manager.active() and manager.pid is None
    manager.spawn(['fake-daemon', '--pid-file=/x/net-1234/pid'])
    assert manager.active()
    assert manager.cmdline()[-2:] == ['fake-daemon', '--pid-file=/x/net-1234/pid']
    assert manager.reload()
    assert spawner.commands[-1] == ['kill', '-HUP', str(spawner.children[0].pid)]
    spawner.children[0].wait(10)            # SIGHUP ends the stand-in: it was delivered
    assert not manager.active()
    assert not manager.reload()             # nothing signalled once it is gone
    manager.spawn(['fake-daemon', 'net-1234'])
    manager.stop()
    assert spawner.children[1].wait(10) is not None
    assert not os.path.exists(spawner.pid_file)


def test_process_manager_ignores_a_pid_that_is_not_its_process(spawner):
    other = process.ProcessManager(spawner, 'net-other', spawner.pid_file)
    other.spawn(['fake-daemon', 'net-other'])
    manager = process.ProcessManager(spawner, 'net-1234', spawner.pid_file)
    assert not manager.active()             # a live process, but not ours
    assert not manager.reload()
    manager.stop()
    assert spawner.children[0].poll() is None


def test_monitor_respawns_only_dead_processes(spawner):
    manager = process.ProcessManager(spawner, 'net-1234', spawner.pid_file)
    monitor = process.ProcessMonitor()
    monitor.register('net-1234', manager,
                     lambda: manager.spawn(['fake-daemon', 'net-1234']))
    assert monitor.check() == ['net-1234']
    assert monitor.check() == []
    spawner.children[0].kill()
    spawner.children[0].wait()
    assert monitor.check() == ['net-1234'] and manager.active()
    monitor.unregister('net-1234')
    spawner.children[1].kill()
    spawner.children[1].wait()
    assert monitor.check() == []
