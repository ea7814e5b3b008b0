import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSettings, runnerSettings, serviceSettings } from '@lading/service-kit/settings';
import { CodedError } from '@lading/contracts/errors';

/** Letters, digits, `.`, `_` and `-`, as Docker labels, NATS tokens and pod names all allow. */
const identityPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const runnerIdFile = 'runner-id';

/** A setting that cannot be used as this runner's identity: one sentence for the operator. */
export class RunnerSettingsError extends CodedError {
  constructor(message: string) {
    super('bad_configuration', message);
  }
}

function checked(variable: string, value: string): string {
  if (!identityPattern.test(value)) {
    throw new RunnerSettingsError(`${variable} ${JSON.stringify(value)} is not usable: use up to 63 letters, digits, ".", "_" and "-", starting with a letter or digit.`);
  }
  return value;
}

/**
 * This runner's identity, unique among runners: `LADING_RUNNER_ID` when the operator names it;
 * else the pod name on Kubernetes (a pod's HOSTNAME); else one generated on the first start and
 * kept in the runner's state directory, so a restarted runner is the same runner and finds its
 * leftovers.
 */
export async function resolveRunnerId(env: NodeJS.ProcessEnv): Promise<string> {
  const { runnerId, kubernetesServiceHost, hostname } = readSettings(runnerSettings, env);
  if (runnerId !== undefined) return checked(runnerSettings.runnerId.name, runnerId);
  if (kubernetesServiceHost && hostname) return checked(runnerSettings.hostname.name, hostname);
  const { stateDir } = readSettings(serviceSettings, env);
  if (!stateDir) throw new RunnerSettingsError('The runner needs LADING_RUNNER_ID or LADING_STATE_DIR (where it keeps the identity it generates).');
  const file = join(stateDir, runnerIdFile);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const generated = `runner-${randomBytes(6).toString('hex')}`;
  // Exclusive create: two runners started on one state directory at once still agree on one id.
  await writeFile(file, `${generated}\n`, { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return checked(file, (await readFile(file, 'utf8')).trim());
}

/**
 * The stack this runner belongs to: `LADING_STACK_ID` when given, else derived from the NATS URL
 * and the runner's state directory (which lies in the stack's LADING_HOME). Two stacks on one
 * Docker host differ in both; runners of one deployment that share a NATS URL and a state path
 * share the stack id.
 */
export function resolveStackId(env: NodeJS.ProcessEnv): string {
  const { stackId } = readSettings(runnerSettings, env);
  if (stackId !== undefined) return checked(runnerSettings.stackId.name, stackId);
  // The variables as set, not their defaults: the id derived from them must not change.
  const source = `${env[serviceSettings.natsUrl.name] ?? ''}\n${env[serviceSettings.stateDir.name] ?? ''}`;
  return `stack-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
}
