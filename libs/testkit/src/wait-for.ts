import { connect } from 'node:net';

/** Resolves once something accepts TCP connections on the port; rejects after `attempts` tries. */
export async function waitForPort(port: number, host = '127.0.0.1', attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on ${host}:${port}`);
}
