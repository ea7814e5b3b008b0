import { createServer } from 'node:net';
import type { StackPorts } from './types.js';
import { CodedError } from '@lading/contracts/errors';

const portPurposes: Record<keyof StackPorts, { label: string; flag: string }> = {
  nats: { label: 'NATS', flag: '--nats-port' },
  upstream: { label: 'upstream registry', flag: '--upstream-port' },
  guard: { label: 'registry front door', flag: '--guard-port' },
};

/** A stack port that something else already holds; the message tells the user what to do. */
export class PortInUseError extends CodedError {
  constructor(
    readonly port: number,
    readonly purpose: keyof StackPorts,
  ) {
    const { label, flag } = portPurposes[purpose];
    super('conflict', `port ${port} (${label}) is in use: stop what holds it or run \`lading up ${flag} N\``);
  }
}

/** Whether a listener could bind the loopback port right now; answers at once, never waits. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws PortInUseError for the first stack port that is taken. */
export async function assertPortsFree(ports: StackPorts): Promise<void> {
  const seen = new Map<number, keyof StackPorts>();
  for (const purpose of Object.keys(portPurposes) as (keyof StackPorts)[]) {
    const port = ports[purpose];
    const clash = seen.get(port);
    if (clash) {
      throw new CodedError(
        'invalid_request',
        `port ${port} is given for both the ${portPurposes[clash].label} and the ${portPurposes[purpose].label}: choose two different ports`,
      );
    }
    seen.set(port, purpose);
    if (!(await isPortFree(port))) throw new PortInUseError(port, purpose);
  }
}

/** A port the kernel says is free on loopback now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
