#!/usr/bin/env bash
# Install everything (tools/setup.sh) and run the test suite with pytest.
# Usage: tools/test.sh [pytest args]   (default: tests/unit tests/functional -q -rfE)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO/tools/setup.sh"
cd "$REPO"

if [ "$#" -eq 0 ]; then
    set -- tests/unit tests/functional -q -rfE
fi

rc=0
.venv/bin/python -m pytest -p no:cacheprovider "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "test.sh: pytest collected no tests (exit 5); treating that as a failure" >&2
    exit 1
fi
exit "$rc"
