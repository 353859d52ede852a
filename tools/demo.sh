#!/usr/bin/env bash
# Install everything (tools/setup.sh) and run netmgr's main job: the all-in-one demo
# (tools/demo.py): server, OVS agent, DHCP and L3 helpers on this host, the seed scenario,
# two instances booted with --nic, their leases and pings, a report, then cleanup.
# Usage: tools/demo.sh [--keep] [--workdir DIR]
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO/tools/setup.sh"
cd "$REPO"
exec .venv/bin/python tools/demo.py "$@"
