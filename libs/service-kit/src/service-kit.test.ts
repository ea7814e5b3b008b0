import { Svcm } from '@nats-io/services';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint } from '@lading/contracts/internal';
import { initTelemetry } from '@lading/telemetry/init';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { callEndpoint, createLogger, RemoteFailure, serveEndpoint, ServiceFailure, startHealthServer } from './internal.js';
import { connectToNats } from './client.js';

const echo = endpoint('lading.test.echo', z.object({ text: z.string().min(1) }), z.object({ text: z.string() }));
const silentLogger = createLogger('test', () => undefined);

describe('service kit over a real nats-server', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    initTelemetry({ serviceName: 'test' });
    server = await startNatsServer();
    nc = await connectToNats({ natsUrl: server.url, name: 'test' });
    const service = await new Svcm(nc).add({ name: 'lading-test', version: '0.1.0' });
    serveEndpoint(
      service,
      echo,
      async ({ text }, context) => {
        if (text === 'refuse') throw new ServiceFailure('forbidden', 'refused on purpose');
        if (text === 'crash') throw new Error('unexpected');
        return { text: `${text}|${context.headers?.get('traceparent') ? 'traced' : 'untraced'}` };
      },
      silentLogger,
    );
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('answers a valid request and carries trace context in headers', async () => {
    expect(await callEndpoint(nc, echo, { text: 'hi' })).toEqual({ text: 'hi|traced' });
  });

  it('refuses an invalid request before it reaches the handler', async () => {
    const answer = await nc.request(echo.subject, JSON.stringify({ text: '' }));
    expect(answer.json()).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('passes a service failure through with its code and message', async () => {
    await expect(callEndpoint(nc, echo, { text: 'refuse' })).rejects.toMatchObject({ code: 'forbidden', message: 'refused on purpose' });
  });

  it('hides unexpected errors behind a generic internal failure', async () => {
    const failure = await callEndpoint(nc, echo, { text: 'crash' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteFailure);
    expect((failure as RemoteFailure).message).not.toContain('unexpected');
  });

  it('is discoverable with $SRV.PING', async () => {
    const answer = await nc.request('$SRV.PING.lading-test');
    expect(answer.json()).toMatchObject({ name: 'lading-test' });
  });

  it('names a missing service clearly', async () => {
    const nobody = endpoint('lading.test.nobody', z.object({}), z.object({}));
    await expect(callEndpoint(nc, nobody, {})).rejects.toThrow(/no service answers lading\.test\.nobody/);
  });
});

describe('health server', () => {
  it('serves healthz, readyz and metrics', async () => {
    let ready = false;
    const health = await startHealthServer({ port: 0, ready: () => ready, metrics: () => 'lading_requests 3\n' });
    try {
      const base = `http://127.0.0.1:${health.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('lading_requests 3');
    } finally {
      await health.close();
    }
  });
});
