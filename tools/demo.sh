#!/usr/bin/env bash
# The Lading demo, end to end on the embedded default stack:
# set-up → `lading up` → create → build → publish → a refused overwrite → a secret and a
# credential set → install → outputs and records. The stack stays up afterwards so you can
# look around; `npx lading down` stops it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash tools/setup.sh
npm run build --silent

lading() { node "$here/apps/cli/bin/lading.mjs" "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
work=$(mktemp -d /tmp/lading-demo.XXXXXX)
# A bundle name of its own per run: the stack keeps its registry between runs, and a tag is never
# overwritten, so a second demo after an upgrade (a different build) must not reuse the first one's tag.
name="hello-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"

say "Start the stack (NATS with per-service users, registry behind the guard, four services)"
lading up
lading status
if [ "$(id -u)" -eq 0 ]; then
  say "Started as root, yet no process of the stack runs as root: each has its own user (see README, Trust model)"
  lading status --output json | node -e '
    let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const services = JSON.parse(s).services;
      for (const { name, uid } of services) console.log(`${name.padEnd(18)} uid ${uid}`);
      if (services.some(({ uid }) => uid === undefined || uid === 0)) {
        console.error("demo: a process of the stack runs as root (lading up said why above)");
        process.exit(1);
      }
    });'
fi

say "Scaffold a bundle"
lading create "$work/hello" --name "$name"
sed -n '1,12p' "$work/hello/lading.yaml"

say "Build: every image pinned to a digest, the invocation image built non-root and pushed by digest"
lading build --dir "$work/hello"
lading inspect --dir "$work/hello"

say "Publish (CNAB-in-OCI through the registry guard); publishing the same build again changes nothing"
lading publish --dir "$work/hello"
lading publish --dir "$work/hello"

say "A different build to the same tag is refused: no overwrite without --force"
sed -i 's/goodbye from hello/farewell from hello/' "$work/hello/lading.yaml"
lading build --dir "$work/hello" >/dev/null
if lading publish --dir "$work/hello"; then
  echo "demo: the overwrite was not refused" >&2
  exit 1
fi
echo "(refused, as it must be; the registry still serves the first build)"

say "A secret in the built-in encrypted store, and a credential set that maps to it (no values in the set)"
printf 'demo-token-%s' "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" | lading secrets set hello-api-token --from-stdin
cat > "$work/hello-credentials.yaml" <<'YAML'
schemaVersion: 1.0.1
name: hello-credentials
credentials:
  - name: api-token
    source:
      secret: hello-api-token
  - name: kubeconfig
    source:
      value: "apiVersion: v1"
YAML
lading credentials apply "$work/hello-credentials.yaml"
lading credentials show hello-credentials

registry=$(lading status --output json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).endpoints.registry))')
say "Install: the runner leases the secret just in time and runs the bundle as 65532 with no capabilities"
lading install "$name" --reference "$registry/bundles/$name:v0.1.0" --cred hello-credentials --param greeting=howdy

say "What was recorded"
lading installations list
lading installations outputs "$name"
lading installations runs "$name"

say "Done. The stack is still up: try \`npx lading --help\`; stop it with \`npx lading down\`."
rm -rf "$work"
