#!/usr/bin/env bash
# Builds every project, then runs every project's lint, typecheck and tests through Nx and the
# architecture checks, and closes with one summary line of passed and failed tests.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash tools/setup.sh
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-true}
reports=$(mktemp -d)
export LADING_TEST_REPORT_DIR="$reports"

npx nx run-many -t build --outputStyle=stream || exit 1
node tools/check-boundaries.mjs
boundaries=$?
node tools/check-readme-paths.mjs || boundaries=1
npx nx run-many -t lint typecheck test --parallel=2 --outputStyle=stream
status=$?
node tools/summarise-tests.mjs "$reports"
rm -rf "$reports"
[ $boundaries -eq 0 ] && [ $status -eq 0 ]
