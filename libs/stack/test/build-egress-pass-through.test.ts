/**
 * `lading up` hands the operator's build network setting (LADING_BUILD_EGRESS) to the builder alone:
 * the conformance suite's offline builds depend on it arriving.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPorts, stackPaths } from '../src/layout.js';
import { builderSettings } from '@lading/service-kit/settings';
import { serviceEnvironment } from '../src/services.js';

const context = { natsUrl: 'nats://127.0.0.1:4222', httpPort: 8080, ports: defaultPorts, paths: stackPaths('/tmp/lading-build-egress-home') };
const name = builderSettings.buildEgress.name;
const before = process.env[name];

describe('LADING_BUILD_EGRESS under lading up', () => {
  afterEach(() => {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  });

  it('reaches the builder, and no other service', () => {
    process.env[name] = 'off';
    expect(serviceEnvironment('builder', context)[name]).toBe('off');
    for (const role of ['guard', 'runner', 'broker'] as const) expect(serviceEnvironment(role, context)).not.toHaveProperty(name);
  });

  it('is absent from the builder when the operator set none', () => {
    delete process.env[name];
    expect(serviceEnvironment('builder', context)).not.toHaveProperty(name);
  });
});
