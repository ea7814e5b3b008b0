import type { Socket } from 'node:net';

/**
 * Counts open connections per client address so that one client cannot hold every socket the
 * front door has. `admit` is false past the cap; an admitted connection is counted until it closes.
 */
export class ConnectionCap {
  private readonly open = new Map<string, number>();

  constructor(readonly perClient: number) {}

  admit(client: Socket): boolean {
    const address = client.remoteAddress ?? 'unknown';
    const count = this.open.get(address) ?? 0;
    if (count >= this.perClient) return false;
    this.open.set(address, count + 1);
    client.once('close', () => {
      const left = (this.open.get(address) ?? 1) - 1;
      if (left > 0) this.open.set(address, left);
      else this.open.delete(address);
    });
    return true;
  }
}
