"""Running host commands: argv lists only, one root-helper setting, one typed error.

The root helper is the prefix that gains root for a command: empty when the agent already
runs as root (the test lab), ``sudo netmgr-rootwrap /etc/netmgr/rootwrap.conf`` in production.
A command bound to a network namespace becomes ``[root helper] ip netns exec NS cmd...``, so
the helper sees (and can filter) the whole command.
"""

import shlex
import subprocess

from netmgr import exceptions

DEFAULT_TIMEOUT = 60.0


def split_root_helper(root_helper):
    """'sudo netmgr-rootwrap /etc/x.conf' or ['sudo', ...] or None -> a list of words."""
    if not root_helper:
        return []
    if isinstance(root_helper, str):
        return shlex.split(root_helper)
    return list(root_helper)


def build_argv(cmd, root_helper=(), namespace=None, run_as_root=True):
    """The argv that really runs: root helper, then the namespace wrapper, then ``cmd``."""
    if isinstance(cmd, str):
        raise TypeError('commands are argv lists, not shell strings: %r' % cmd)
    argv = [str(word) for word in cmd]
    if not argv:
        raise ValueError('empty command')
    if namespace:
        argv = ['ip', 'netns', 'exec', namespace] + argv
    if run_as_root or namespace:
        argv = split_root_helper(root_helper) + argv
    return argv


class Executor:
    """Runs commands for the agent; inject one per agent so tests can replace it."""

    def __init__(self, root_helper=None, timeout=DEFAULT_TIMEOUT):
        self.root_helper = split_root_helper(root_helper)
        self.timeout = timeout

    def argv(self, cmd, namespace=None, run_as_root=True):
        return build_argv(cmd, self.root_helper, namespace, run_as_root)

    def execute(self, cmd, namespace=None, process_input=None, check_exit_code=True,
                run_as_root=True, extra_ok_codes=()):
        """Run ``cmd`` and return its stdout (text).

        A non-zero exit (other than ``extra_ok_codes``) raises ProcessExecutionError unless
        ``check_exit_code`` is false; a missing program or a timeout raises it too.
        """
        argv = self.argv(cmd, namespace, run_as_root)
        text = ' '.join(shlex.quote(word) for word in argv)
        try:
            done = subprocess.run(argv, input=process_input, capture_output=True, text=True,
                                  timeout=self.timeout, check=False)
        except FileNotFoundError as exc:
            raise exceptions.ProcessExecutionError(cmd=text, exit_code=127,
                                                   stderr=str(exc)) from exc
        except subprocess.TimeoutExpired as exc:
            raise exceptions.ProcessExecutionError(
                cmd=text, exit_code=-1,
                stderr='timed out after %ss' % self.timeout) from exc
        if check_exit_code and done.returncode not in (0,) + tuple(extra_ok_codes):
            raise exceptions.ProcessExecutionError(cmd=text, exit_code=done.returncode,
                                                   stderr=done.stderr.strip())
        return done.stdout
