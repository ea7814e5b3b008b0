import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Svcm } from '@nats-io/services';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '@lading/contracts';
import { errorVocabulary } from '@lading/contracts/errors';
import { createLogger, serveEndpoint, ServiceFailure } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { writeCredentialsFile } from '@lading/stack/internal';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { runCli } from './cli-process.js';

/**
 * What the CLI prints of a failure: a coded error raised by a service crosses the bus and is
 * printed as its own sentence with its code's exit status; anything else is an internal failure.
 * The service side is the real service kit on a real nats-server; only its handlers are stand-ins.
 */
describe('the CLI reports failures by their code', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let home: string;
  let credentials: string;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ natsUrl: server.url, name: 'stand-in runner' });
    const service = await new Svcm(nc).add({ name: 'lading-runner', version: '0.1.0' });
    serveEndpoint(
      service,
      endpoints.installationsShow,
      async ({ name }) => {
        if (name === 'busy') throw new ServiceFailure('busy', 'installation busy is busy with run r1: try again once it has finished');
        if (name === 'ghost') throw new ServiceFailure('not_found', 'there is no installation named ghost: see `lading installations list`');
        // A programming error in a service: its text stays in the service's log.
        throw new TypeError("Cannot read properties of undefined (reading 'secret-token')");
      },
      createLogger('stand-in runner', () => undefined),
    );
    // A service that answers something that is not a Lading reply at all.
    nc.subscribe(endpoints.installationsList.subject, { callback: (_error, message) => void message.respond('{"surprise":true}') });
    home = await mkdtemp(join(tmpdir(), 'lading-failures-'));
    credentials = join(home, 'admin.json');
    await writeCredentialsFile(credentials, { principal: 'admin', natsUrl: server.url, password: 'unused', frontDoor: '127.0.0.1:1' });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it.each([
    ['ghost', 'not_found', 'there is no installation named ghost: see `lading installations list`'],
    ['busy', 'busy', 'installation busy is busy with run r1: try again once it has finished'],
  ] as const)('prints the %s refusal as one sentence and exits with the status of %s', async (name, code, sentence) => {
    const result = await runCli(home, ['--credentials', credentials, 'installations', 'show', name]);
    expect(result.stderr).toBe(`lading: ${sentence}\n`);
    expect(result.code).toBe(errorVocabulary[code].exitCode);
  });

  it("answers a service's programming error as internal, without its text", async () => {
    const result = await runCli(home, ['--credentials', credentials, 'installations', 'show', 'crash']);
    expect(result.stderr).toBe(`lading: internal error while handling ${endpoints.installationsShow.subject}; see the service log\n`);
    expect(result.stderr).not.toContain('secret-token');
    expect(result.code).toBe(errorVocabulary.internal.exitCode);
  });

  it('prints an uncoded exception in the CLI as an internal failure, with its stack only under LADING_DEBUG', async () => {
    const plain = await runCli(home, ['--credentials', credentials, 'installations', 'list']);
    expect(plain.stderr).toMatch(/^lading: internal error: ZodError: .*, please report it \(LADING_DEBUG=1 shows where\)\n$/s);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    expect(plain.code).toBe(errorVocabulary.internal.exitCode);

    const debug = await runCli(home, ['--credentials', credentials, 'installations', 'list'], undefined, { LADING_DEBUG: '1' });
    expect(debug.stderr).toMatch(/^lading: internal error: ZodError: /);
    expect(debug.stderr).toMatch(/^\s+at /m);
    expect(debug.code).toBe(errorVocabulary.internal.exitCode);
  });
});
