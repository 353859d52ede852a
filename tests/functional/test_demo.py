"""The README's first command runs tools/demo.py: the whole stack on one host, the seed
scenario, two instances with DHCP leases, pings across the router, SNAT, a floating IP. Run
here as the README does (after setup), with --keep, then --cleanup, which must leave nothing
behind (the same cleanup a run without --keep does at its end)."""

import pathlib
import subprocess
import sys

import pytest

from tests.fixtures import netlab

pytestmark = pytest.mark.functional

DEMO = pathlib.Path(__file__).resolve().parents[2] / 'tools' / 'demo.py'
CHECKS = ('vm1 DHCP lease', 'vm2 DHCP lease', 'vm1 -> vm2 across the router', '(SNAT)',
          '(DNAT)', 'no longer answers')


def _demo(*args):
    result = subprocess.run([sys.executable, str(DEMO)] + list(args), capture_output=True,
                            text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def _passed(report, check):
    """Every result line of the report that names ``check`` says ok (and there is one)."""
    results = [line.strip() for line in report.splitlines()
               if check in line and line.strip().startswith('[')]
    return bool(results) and all(line.startswith('[ok  ]') for line in results)


def test_demo_passes_every_check_and_cleanup_leaves_nothing(tmp_path):
    netlab.require_ovs()
    workdir = str(tmp_path / 'demo')
    code, report = _demo('--keep', '--workdir', workdir)
    try:
        assert code == 0 and 'ALL CHECKS PASSED' in report, report
        assert all(_passed(report, check) for check in CHECKS), report
        assert 'remove it all' in report, report
    finally:
        code, cleaned = _demo('--cleanup', '--workdir', workdir)
    assert code == 0 and _passed(cleaned, 'nothing left behind'), cleaned
