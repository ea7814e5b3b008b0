import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from './index.js';

describe('testkit', () => {
  let nats: TestNatsServer | undefined;
  let registry: TestRegistry | undefined;
  afterAll(async () => {
    await nats?.stop();
    await registry?.stop();
  });

  it('starts a real nats-server with JetStream', async () => {
    nats = await startNatsServer();
    expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
  });

  it('starts a real registry that answers the distribution API', async () => {
    registry = await startRegistry();
    const answer = await fetch(`${registry.url}/v2/`);
    expect(answer.status).toBe(200);
  });
});
