/**
 * A stand-in for the generated /cnab/app/run: it reads the stdin protocol, writes `file` entries,
 * then runs a probe chosen by the action. `pause` blocks on a fifo so the test can inspect the
 * running container and release it with `docker exec`.
 */
export const probeRunScript = `#!/bin/sh
while read -r kind key value; do
  case "$kind" in
    end) break ;;
    file) echo "$value" | base64 -d > "$key" ;;
    action) action=$(echo "$value" | base64 -d) ;;
  esac
done
case "$action" in
  whoami) id -u; id -g ;;
  privileges) grep -E '^(CapEff|CapPrm|NoNewPrivs):' /proc/self/status ;;
  filesystem)
    if touch /cnab/app/planted 2>/dev/null || touch /planted 2>/dev/null; then echo rootfs=writable; else echo rootfs=readonly; fi
    if [ -e /var/run/docker.sock ]; then echo socket=present; else echo socket=absent; fi
    echo to-stderr >&2
    exit 7 ;;
  canary)
    stat -c 'mode=%a owner=%u:%g' /cnab/secrets /cnab/secrets/canary
    mkfifo /tmp/release
    echo PAUSED
    read -r _ < /tmp/release
    echo "inside=$(cat /cnab/secrets/canary)" ;;
  pause)
    mkfifo /tmp/release
    echo PAUSED
    read -r _ < /tmp/release ;;
esac
`;
