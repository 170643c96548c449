#!/usr/bin/env bash
# tools/demo.sh: installs, builds, and fuzzes every bundled target and variant for a few seconds
# each, printing a table (target, variant, verdict, executions, time to first failure, replay).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh release >/dev/null
exec build/schedfuzz demo "$@"
