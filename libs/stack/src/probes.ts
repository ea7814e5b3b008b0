import { connect } from 'node:net';

const pollInterval = 100;

/** Calls `check` up to `attempts` times, 100 ms apart; true as soon as it holds, false if it never does. */
export async function pollUntil(
  check: () => boolean | Promise<boolean>,
  attempts: number,
  giveUp: () => boolean = () => false,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return true;
    if (giveUp()) return false;
    await new Promise((resolve) => setTimeout(resolve, pollInterval));
  }
  return false;
}

/** Whether something accepts TCP connections on the loopback port. */
export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether a GET of the URL answers `status` within a second. */
export async function answersStatus(url: string, status: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.status === status;
  } catch {
    return false;
  }
}

export function answersOk(url: string): Promise<boolean> {
  return answersStatus(url, 200);
}

/** The upstream registry is up and closed to anyone without the guard's credential: its ping answers 401. */
export function upstreamGuarded(upstreamUrl: string): Promise<boolean> {
  return answersStatus(`${upstreamUrl}/v2/`, 401);
}
