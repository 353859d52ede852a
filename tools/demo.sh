#!/usr/bin/env bash
# Install everything (tools/setup.sh) and run netmgr's main job.
#
# For now the main job is the all-in-one API server: migrate the SQLite database under
# state_path and serve the Quantum v2.0 API on 127.0.0.1:9696 (etc/netmgr.conf).
# When a real end-to-end demo exists, switching this script to it is that demo's author's
# job, not tools/setup.sh's.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO/tools/setup.sh"
cd "$REPO"

mkdir -p /var/lib/netmgr   # state_path in etc/netmgr.conf
.venv/bin/netmgr-db-manage --config-file etc/netmgr.conf upgrade head
exec .venv/bin/netmgr-server --config-file etc/netmgr.conf
