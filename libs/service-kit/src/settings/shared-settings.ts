import { type Setting, list, text } from '@lading/contracts/settings';

/** Rows more than one service reads: written once here, listed in each of their tables. */
export const frontDoorSetting = {
  name: 'LADING_REGISTRY',
  type: text('host:port'),
  default: '127.0.0.1:5000',
  meaning: 'the front door: the runner pulls only through it, the builder may always contact it, the broker reads bundle.json from it',
} as const satisfies Setting<string>;

export const allowedRegistriesSetting = {
  name: 'LADING_ALLOWED_REGISTRIES',
  type: list('comma-separated `host[:port]`'),
  meaning:
    'other registries the builder may pin, pull and push images on and publish may copy referenced images from (`lading up` passes it on); none by default. A token realm must be on one of these hosts (e.g. add `auth.docker.io` next to `registry-1.docker.io`)',
} as const satisfies Setting<string[]>;

export const spansFileSetting = {
  name: 'LADING_SPANS_FILE',
  type: text('file'),
  meaning: "spans as JSON lines; none by default for a service, and for the CLI the embedded store of a stack this host runs (`LADING_HOME/logs`)",
} as const satisfies Setting<string>;

export const hostnameSetting = {
  name: 'HOSTNAME',
  type: text(),
  meaning: 'on Kubernetes, the pod name: it names this instance',
} as const satisfies Setting<string>;
