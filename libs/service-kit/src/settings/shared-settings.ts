import type { Setting } from './read-settings.js';
import { list, text } from './setting-types.js';

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

export const hostnameSetting = {
  name: 'HOSTNAME',
  type: text(),
  meaning: 'on Kubernetes, the pod name: it names this instance',
} as const satisfies Setting<string>;
