/**
 * `lading up` hands the operator's signature policy to the runner alone, as an absolute path: services start in the
 * stack's home, where a path relative to the operator's directory would name another file.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPorts, stackPaths } from '../src/layout.js';
import { serviceEnvironment } from '../src/services.js';

const context = { natsUrl: 'nats://127.0.0.1:4222', httpPort: 8080, ports: defaultPorts, paths: stackPaths('/tmp/lading-pass-through-home') };
const before = process.env.LADING_SIGNATURE_POLICY;

describe('LADING_SIGNATURE_POLICY under lading up', () => {
  afterEach(() => {
    if (before === undefined) delete process.env.LADING_SIGNATURE_POLICY;
    else process.env.LADING_SIGNATURE_POLICY = before;
  });

  it('reaches the runner as an absolute path, and no other service', () => {
    process.env.LADING_SIGNATURE_POLICY = 'policies/signatures.json';
    expect(serviceEnvironment('runner', context).LADING_SIGNATURE_POLICY).toBe(resolve('policies/signatures.json'));
    for (const role of ['guard', 'builder', 'broker'] as const) expect(serviceEnvironment(role, context)).not.toHaveProperty('LADING_SIGNATURE_POLICY');
  });

  it('is absent from the runner when the operator set none', () => {
    delete process.env.LADING_SIGNATURE_POLICY;
    expect(serviceEnvironment('runner', context)).not.toHaveProperty('LADING_SIGNATURE_POLICY');
  });
});
