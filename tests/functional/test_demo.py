"""The README's first command runs tools/demo.py: three hosts each with its own Open vSwitch
(a gateway, two compute hosts), vxlan tenant networks, the seed scenario, vm1 and vm2 booted
on the two compute hosts with DHCP leases, pings across the router, SNAT, a floating IP, and a
report with the seconds of each step. Run here as the README does (after setup), with --keep,
then --cleanup, which must leave nothing behind (the same cleanup a run without --keep does at
its end)."""

import pathlib
import re
import subprocess
import sys

import pytest

from tests.fixtures import ovs_hosts

pytestmark = pytest.mark.functional

DEMO = pathlib.Path(__file__).resolve().parents[2] / 'tools' / 'demo.py'
CHECKS = ('gateway agents alive, vxlan from', 'compute-1 agents alive, vxlan from',
          'compute-2 agents alive, vxlan from', 'net1 and net2 are vxlan, mtu 1450',
          'DHCP and routerA ready on the gateway', 'vm1 DHCP lease', 'vm2 DHCP lease',
          'vm1 and vm2 on different hosts', 'vm1 -> vm2 across the router', '(SNAT)',
          '(DNAT)', 'no longer answers')
STEPS = ('netmgr-server', 'three hosts', 'agents:', 'seed scenario', 'serves DHCP',
         'boot --nic net-id=<net1> vm1', 'boot --nic net-id=<net2> vm2', 'vm1 (compute-1',
         '(SNAT)', '(DNAT)', 'disassociate')
STEP = re.compile(r'^ +(\d+\.\d\d)  (.+)$')


def _demo(*args):
    result = subprocess.run([sys.executable, str(DEMO)] + list(args), capture_output=True,
                            text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def _passed(report, check):
    """Every result line of the report that names ``check`` says ok (and there is one)."""
    results = [line.strip() for line in report.splitlines()
               if check in line and line.strip().startswith('[')]
    return bool(results) and all(line.startswith('[ok  ]') for line in results)


def _seconds_per_step(report):
    """{step: seconds} from the report's 'seconds per step' part ('total' among them)."""
    part = report.rsplit('seconds per step:', 1)[-1]
    return {m.group(2): float(m.group(1)) for m in map(STEP.match, part.splitlines()) if m}


def test_demo_passes_every_check_and_cleanup_leaves_nothing(tmp_path):
    ovs_hosts.require_ovs_programs()
    workdir = str(tmp_path / 'demo')
    code, report = _demo('--keep', '--workdir', workdir)
    try:
        assert code == 0 and 'ALL CHECKS PASSED' in report, report
        assert all(_passed(report, check) for check in CHECKS), report
        steps = _seconds_per_step(report)
        assert all(any(name in step for step in steps) for name in STEPS), steps
        total = steps.pop('total')
        assert 0 < sum(steps.values()) <= total + 0.005 * len(steps)     # each rounded
        assert 'remove it all' in report, report
    finally:
        code, cleaned = _demo('--cleanup', '--workdir', workdir)
    assert code == 0 and _passed(cleaned, 'nothing left behind'), cleaned
    assert 'cleaning up' in _seconds_per_step(cleaned), cleaned
