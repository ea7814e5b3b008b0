#!/usr/bin/env bash
# Builds lading/builder, lading/registry-guard, lading/secret-broker and lading/runner, tagged with
# their version, into the local Docker Engine, from a base made of Debian packages (see README.md
# beside this file). `--rebuild` makes the Debian layers again from the cached packages.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
npx nx run-many -t build -p @lading/builder @lading/registry-guard @lading/secret-broker @lading/runner @lading/images --outputStyle=static >/dev/null
# Compiled files only, even when called from a test run that resolves the libraries to their sources.
NODE_OPTIONS="${NODE_OPTIONS//--conditions=@lading\/source/}" exec node libs/images/dist/src/cli/build-service-images.js "$@"
