import { runContainerDefaults, settingsTable, text } from '@lading/contracts/settings';
import { frontDoorSetting, hostnameSetting } from './shared-settings.js';

/** What the runner reads besides the common settings. */
export const runnerSettings = settingsTable({
  registry: frontDoorSetting,
  runnerId: {
    name: 'LADING_RUNNER_ID',
    type: text(),
    meaning:
      "this runner's identity in leases (it registers a fresh Ed25519 key under it each time it starts) and on its containers; default: the pod name on Kubernetes, else one generated on first start and kept in `LADING_STATE_DIR/runner-id`",
  },
  stackId: { name: 'LADING_STACK_ID', type: text(), meaning: 'the stack its containers are labelled with; default: derived from `LADING_NATS_URL` and `LADING_STATE_DIR`' },
  dockerSocketBundles: {
    name: 'LADING_DOCKER_SOCKET_BUNDLES',
    type: text('comma-separated `sha256:<64 hex>`'),
    meaning: 'bundle digests granted the Docker socket (the digest of the reference `lading publish` printed); each grant is logged (`privilege granted`); `lading up` passes it on',
  },
  signaturePolicy: {
    name: 'LADING_SIGNATURE_POLICY',
    type: text('file'),
    meaning:
      'a JSON file of rules `{ "repositories": "<registry>/<repository prefix>", "keys": ["<public key file>", …] }`: a covered bundle runs only signed by one of its rule\'s keys (see *Signing and verifying*); `lading up` passes it on; none by default',
  },
  // Egress, CPUs and socket grants are parsed by libs/runtime, which owns what they mean for a container.
  runEgress: { name: 'LADING_RUN_EGRESS', type: text('`on` or `off`'), default: runContainerDefaults.egress, meaning: '`off` runs bundles with no network at all; `lading up` passes it on' },
  runCpus: { name: 'LADING_RUN_CPUS', type: text('CPUs from 0.01, e.g. `0.5`'), default: String(runContainerDefaults.cpus), meaning: 'CPUs per bundle; `lading up` passes it on' },
  runNetworkPool: {
    name: 'LADING_RUN_NETWORK_POOL',
    type: text('integer from 0 to 16'),
    default: String(runContainerDefaults.networkPool),
    meaning: 'run networks kept made ahead of the runs that take them (`0` makes each when its run starts); each is used by one run only, then removed; `lading up` passes it on',
  },
  kubernetesServiceHost: { name: 'KUBERNETES_SERVICE_HOST', type: text(), meaning: 'set by Kubernetes: the runner then takes `HOSTNAME` (the pod name) as its identity' },
  hostname: hostnameSetting,
});
