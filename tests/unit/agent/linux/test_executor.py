"""The command seam: argv building, root helper prefixing, exit codes and the typed error."""

import sys

import pytest

from netmgr.agent.linux import executor
from netmgr import exceptions

ROOTWRAP = 'sudo netmgr-rootwrap /etc/netmgr/rootwrap.conf'


@pytest.mark.parametrize('root_helper, namespace, run_as_root, expected', [
    (None, None, True, ['ip', 'link']),
    ('', 'qdhcp-1', True, ['ip', 'netns', 'exec', 'qdhcp-1', 'ip', 'link']),
    (ROOTWRAP, None, True,
     ['sudo', 'netmgr-rootwrap', '/etc/netmgr/rootwrap.conf', 'ip', 'link']),
    (ROOTWRAP, 'qrouter-2', True,
     ['sudo', 'netmgr-rootwrap', '/etc/netmgr/rootwrap.conf',
      'ip', 'netns', 'exec', 'qrouter-2', 'ip', 'link']),
    (ROOTWRAP, None, False, ['ip', 'link']),
    # entering a namespace always needs root
    (['sudo'], 'ns', False, ['sudo', 'ip', 'netns', 'exec', 'ns', 'ip', 'link']),
])
def test_argv(root_helper, namespace, run_as_root, expected):
    assert executor.build_argv(['ip', 'link'], root_helper, namespace, run_as_root) == expected
    assert executor.Executor(root_helper).argv(['ip', 'link'], namespace,
                                               run_as_root) == expected


def test_words_are_strings():
    assert executor.build_argv(['ping', '-c', 1]) == ['ping', '-c', '1']


@pytest.mark.parametrize('bad, error', [('ip link show', TypeError), ([], ValueError)])
def test_shell_strings_and_empty_commands_are_refused(bad, error):
    with pytest.raises(error):
        executor.Executor().execute(bad)


def _python(code):
    return [sys.executable, '-c', code]


def test_returns_stdout_and_feeds_stdin():
    ex = executor.Executor()
    assert ex.execute(_python('import sys; print(sys.stdin.read().upper())'),
                      run_as_root=False, process_input='flows\n') == 'FLOWS\n\n'


def test_non_zero_exit_raises_with_cmd_code_and_stderr():
    with pytest.raises(exceptions.ProcessExecutionError) as raised:
        executor.Executor().execute(_python('import sys; sys.stderr.write("boom"); '
                                            'sys.exit(3)'))
    assert raised.value.exit_code == 3
    assert isinstance(raised.value, exceptions.AgentError)
    assert 'boom' in str(raised.value) and 'exited with code 3' in str(raised.value)


def test_exit_code_checks_can_be_relaxed():
    ex = executor.Executor()
    assert ex.execute(_python('print(1); raise SystemExit(1)'), extra_ok_codes=(1,)) == '1\n'
    assert ex.execute(_python('raise SystemExit(4)'), check_exit_code=False) == ''


def test_missing_program_and_timeout_are_the_same_typed_error():
    with pytest.raises(exceptions.ProcessExecutionError) as missing:
        executor.Executor().execute(['netmgr-no-such-program-xyz'])
    assert missing.value.exit_code == 127
    with pytest.raises(exceptions.ProcessExecutionError, match='timed out'):
        executor.Executor(timeout=0.2).execute(_python('import time; time.sleep(5)'))
