"""The agents' main loop, driven by events: wakes, failures and backoff, stop."""

import threading

import pytest

from netmgr.agent.common import loop as agent_loop

NEVER = 60.0        # no periodic pass within a test


class Work:
    """A pass that fails ``fail`` times, then records what ``inputs`` held."""

    def __init__(self, fail=0):
        self.fail = fail
        self.inputs = []
        self.passes = []
        self.called = threading.Event()
        self.done = threading.Event()

    def __call__(self):
        self.called.set()
        if self.fail:
            self.fail -= 1
            raise RuntimeError('server away')
        self.passes.append(list(self.inputs))
        self.done.set()


@pytest.fixture
def running():
    threads = []

    def start(loop):
        thread = threading.Thread(target=loop.run, daemon=True)
        thread.start()
        threads.append((loop, thread))
        return thread

    yield start
    for loop, thread in threads:
        loop.stop()
        thread.join(5)
        assert not thread.is_alive()


def test_a_wake_runs_a_pass(running):
    work = Work()
    loop = agent_loop.AgentLoop(work, lambda: NEVER, max_backoff=1.0)
    running(loop)
    loop.wake()
    assert work.done.wait(5)
    assert work.passes == [[]] and loop.backoff == 0.0


def test_without_a_wake_a_pass_runs_when_the_timeout_runs_out(running):
    work = Work()
    running(agent_loop.AgentLoop(work, lambda: 0.01, max_backoff=1.0))
    assert work.done.wait(5)


def test_a_failed_pass_is_retried_without_another_wake(running):
    work = Work(fail=1)
    loop = agent_loop.AgentLoop(work, lambda: NEVER, max_backoff=0.0)
    running(loop)
    loop.wake()
    assert work.done.wait(5)
    assert work.fail == 0 and loop.backoff == 0.0


def test_the_backoff_doubles_up_to_its_maximum_and_resets_after_a_pass():
    work = Work(fail=4)
    loop = agent_loop.AgentLoop(work, lambda: NEVER, max_backoff=2.0)
    loop.stop()         # a stopped loop waits out no backoff
    backoffs = []
    for _ in range(4):
        loop.run_once()
        backoffs.append(loop.backoff)
        assert loop.woken
    assert backoffs == [agent_loop.MIN_BACKOFF, 1.0, 2.0, 2.0]
    loop.run_once()
    assert loop.backoff == 0.0 and work.passes == [[]]


def test_inputs_within_the_batch_window_make_one_pass(running):
    work = Work()
    loop = agent_loop.AgentLoop(work, lambda: NEVER, max_backoff=1.0, batch_window=0.5)
    running(loop)
    work.inputs.append('a')
    loop.wake()
    work.inputs.append('b')
    loop.wake()
    assert work.done.wait(5)
    assert work.passes == [['a', 'b']]


@pytest.mark.parametrize('waiting_in', ['timeout', 'batch window', 'backoff'])
def test_stop_ends_run_wherever_it_waits(waiting_in):
    work = Work(fail=1 if waiting_in == 'backoff' else 0)
    loop = agent_loop.AgentLoop(work, lambda: NEVER, max_backoff=NEVER,
                                batch_window=NEVER if waiting_in == 'batch window' else 0.0)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    if waiting_in != 'timeout':
        loop.wake()
    if waiting_in == 'backoff':
        assert work.called.wait(5)
    loop.stop()
    thread.join(5)
    assert not thread.is_alive() and not work.passes


def test_a_stopped_loop_runs_no_pass():
    work = Work()
    loop = agent_loop.AgentLoop(work, lambda: NEVER, max_backoff=1.0)
    loop.wake()
    loop.stop()
    loop.run()
    assert not work.called.is_set()
