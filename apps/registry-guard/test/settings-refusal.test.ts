import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, startProcess, type TestNatsServer } from '@lading/testkit';

const mainFile = resolve(import.meta.dirname, '../src/main.ts');

/** Starts the real guard with `env` and waits for it to stop by itself; what it logged, and how it ended. */
async function startRefused(natsUrl: string, env: Record<string, string>): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  const running = startProcess(process.execPath, ['--import', 'tsx', mainFile], { ...process.env, LADING_NATS_URL: natsUrl, LADING_HTTP_PORT: '0', ...env });
  const code = await new Promise<number | null>((resolveExit) => running.child.once('exit', (exitCode) => resolveExit(exitCode)));
  const lines = running
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines };
}

describe('registry-guard refuses a setting it cannot use, at start, in one sentence', () => {
  let nats: TestNatsServer;

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(async () => {
    await nats?.stop();
  });

  it.each([
    ['LADING_HTTP_PORT', 'abc', 'LADING_HTTP_PORT must be a whole number from 0 to 65535, not "abc".'],
    ['LADING_GUARD_PORT', '-1', 'LADING_GUARD_PORT must be a whole number from 1 to 65535, not "-1".'],
    ['LADING_GUARD_RESERVATION_TTL_MS', '1.5', 'LADING_GUARD_RESERVATION_TTL_MS must be a whole number of milliseconds from 1 up, not "1.5".'],
    ['LADING_GUARD_ANONYMOUS_READ', 'yes', 'LADING_GUARD_ANONYMOUS_READ must be true or false, not "yes".'],
    // The OpenTelemetry rows are checked at start too, not read later as NaN.
    ['OTEL_METRIC_EXPORT_INTERVAL', 'soon', 'OTEL_METRIC_EXPORT_INTERVAL must be a whole number of milliseconds from 1 up, not "soon".'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '-5', 'OTEL_EXPORTER_OTLP_TIMEOUT must be a whole number of milliseconds from 1 up, not "-5".'],
  ])('%s=%s', async (name, value, sentence) => {
    const { code, lines } = await startRefused(nats.url, { [name]: value });
    expect(code).toBe(1);
    expect(lines.filter((line) => line.level === 'error')).toEqual([expect.objectContaining({ message: 'cannot start', error: sentence })]);
    // It stopped before serving anything.
    expect(lines.some((line) => line.message === 'ready' || line.message === 'front door listening')).toBe(false);
  });
});
