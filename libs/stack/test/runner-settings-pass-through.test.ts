/**
 * `lading up` hands the operator's choices for bundles (their network, CPUs, the run networks made
 * ahead, the Docker socket grants) to the runner alone: a documented setting that never arrived
 * would leave bundles with the network the operator turned off.
 */
import { runnerSettings } from '@lading/service-kit/settings';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPorts, stackPaths } from '../src/layout.js';
import { serviceEnvironment } from '../src/services.js';

const context = { natsUrl: 'nats://127.0.0.1:4222', httpPort: 8080, ports: defaultPorts, paths: stackPaths('/tmp/lading-runner-settings-home') };
const chosen: Record<string, string> = {
  [runnerSettings.runEgress.name]: 'off',
  [runnerSettings.runCpus.name]: '0.5',
  [runnerSettings.runNetworkPool.name]: '0',
  [runnerSettings.dockerSocketBundles.name]: `sha256:${'a'.repeat(64)}`,
};
const before = Object.fromEntries(Object.keys(chosen).map((name) => [name, process.env[name]]));

describe('the runner settings under lading up', () => {
  afterEach(() => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('reach the runner, and no other service', () => {
    Object.assign(process.env, chosen);
    expect(serviceEnvironment('runner', context)).toMatchObject(chosen);
    for (const role of ['guard', 'builder', 'broker'] as const) {
      for (const name of Object.keys(chosen)) expect(serviceEnvironment(role, context)).not.toHaveProperty(name);
    }
  });

  it('are absent from the runner when the operator set none', () => {
    for (const name of Object.keys(chosen)) delete process.env[name];
    for (const name of Object.keys(chosen)) expect(serviceEnvironment('runner', context)).not.toHaveProperty(name);
  });
});
