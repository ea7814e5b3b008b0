#!/usr/bin/env bash
# Prepares a Debian machine for Lading: the real components from Debian's packages, a running
# Docker Engine, and the workspace's npm dependencies. Safe to run again: it only does what is
# missing.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
packages=(docker.io nats-server docker-registry skopeo busybox-static)
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# Debian's docker.io client is the one matched to its daemon.
docker_cli=/usr/bin/docker
if ! "$docker_cli" info >/dev/null 2>&1; then
  echo "setup: starting dockerd"
  log=/var/log/lading-dockerd.log
  # In a session of its own: ending the command that started it (Ctrl-C, a killed CI job's
  # process group) must not take the daemon, and every container on it, down too.
  as_root setsid -f sh -c "exec /usr/sbin/dockerd >>$log 2>&1 </dev/null"
  for _ in $(seq 1 120); do
    "$docker_cli" info >/dev/null 2>&1 && break
    sleep 0.5
  done
  "$docker_cli" info >/dev/null 2>&1 || { echo "setup: dockerd did not start; see $log" >&2; exit 1; }
fi

cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund
fi
echo "setup: ready (docker $("$docker_cli" version --format '{{.Server.Version}}'), $(nats-server --version), node $(node --version))"
