#!/usr/bin/env bash
# Install everything (tools/setup.sh) and run netmgr's main job, the demo (tools/demo.py):
# a gateway and two compute hosts, each with its own Open vSwitch, vxlan tenant networks,
# the seed scenario, an instance booted with --nic on each compute host, their leases and
# pings, a report with the seconds of each step, then cleanup.
# Usage: tools/demo.sh [--keep] [--workdir DIR]; tools/demo.sh --cleanup --workdir DIR
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO/tools/setup.sh"
cd "$REPO"
exec .venv/bin/python tools/demo.py "$@"
