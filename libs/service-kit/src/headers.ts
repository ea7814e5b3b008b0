import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { HeaderCarrier } from '@lading/telemetry';

/** Adapts NATS message headers for trace-context propagation. */
export function headerCarrier(headers: MsgHdrs | undefined = createHeaders()): HeaderCarrier & { headers: MsgHdrs } {
  return {
    headers,
    get: (key) => (headers.has(key) ? headers.get(key) : undefined),
    set: (key, value) => headers.set(key, value),
  };
}
