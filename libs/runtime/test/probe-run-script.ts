/**
 * A stand-in for the generated /cnab/app/run: it reads the stdin protocol, writes `file` entries,
 * then runs a probe chosen by the action. Each probe measures the property itself (the mount
 * table, the capability sets, the cgroup, the interfaces), not an effect that could have another
 * cause. `pause` and `listen` block on a fifo so the test can act while the container runs and
 * release it with `docker exec`.
 */
export const probeRunScript = `#!/bin/sh
while read -r kind key value; do
  case "$kind" in
    end) break ;;
    file) echo "$value" | base64 -d > "$key" ;;
    action) action=$(echo "$value" | base64 -d) ;;
  esac
done
# Any answer at all means the connection was made; a refused or dropped one gives none.
ask() {
  printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 "$1" "$2" 2>/dev/null
}
hold() {
  mkfifo /tmp/release
  echo "$1"
  read -r _ < /tmp/release
}
case "$action" in
  whoami) id -u; id -g ;;
  privileges) grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status ;;
  filesystem)
    # Field 5 of mountinfo is the mount point, field 6 its per-mount options.
    case ",$(awk '$5 == "/" { print $6 }' /proc/self/mountinfo)," in *,ro,*) echo root-mount=ro ;; *) echo root-mount=rw ;; esac
    # /owned belongs to the bundle user: only a read-only root keeps it from writing there.
    echo "owned-by=$(stat -c %u /owned)"
    if touch /owned/planted 2>/dev/null; then echo owned-dir=written; else echo owned-dir=refused; fi
    if [ -e /var/run/docker.sock ]; then echo socket=present; else echo socket=absent; fi
    echo to-stderr >&2
    exit 7 ;;
  cpu)
    if [ -e /sys/fs/cgroup/cpu.max ]; then echo "cpu=$(cat /sys/fs/cgroup/cpu.max)"
    else echo "cpu=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"; fi ;;
  network)
    echo "interfaces=$(ls /sys/class/net | tr '\\n' ' ')"
    echo "routes=$(tail -n +2 /proc/net/route | wc -l)" ;;
  listen)
    mkdir -p /tmp/www && echo served > /tmp/www/index.html
    httpd -f -p 8080 -h /tmp/www &
    address=$(ip -4 addr show eth0 | awk '/inet / { split($2, a, "/"); print a[1] }')
    # The listener answers on its own address: a refusal elsewhere is the network's doing.
    for _ in $(seq 50); do ask "$address" 8080 | grep -q served && break; sleep 0.1; done
    echo "self=$(ask "$address" 8080 | tail -n 1)"
    hold "LISTENING $address" ;;
  connect)
    # TARGETS: "host port" pairs separated by commas; the gateway is the host's end of this network.
    gateway=$(ip -4 route | awk '/^default/ { print $3 }')
    echo "$TARGETS" | tr ',' '\\n' | sed "s/^gateway /$gateway /" | while read -r host port; do
      if [ -n "$(ask "$host" "$port")" ]; then echo "$host=reached"; else echo "$host=unreachable"; fi
    done ;;
  canary)
    stat -c 'mode=%a owner=%u:%g' /cnab/secrets /cnab/secrets/canary
    mkfifo /tmp/release
    echo PAUSED
    read -r _ < /tmp/release
    echo "inside=$(cat /cnab/secrets/canary)" ;;
  pause) hold PAUSED ;;
  exit) echo "exiting with $EXIT_CODE"; exit "$EXIT_CODE" ;;
esac
`;
