import { RandomIdGenerator, type IdGenerator } from '@opentelemetry/sdk-trace-base';

let presetSpanId: string | undefined;

/**
 * Span ids are random, except for a span whose id was chosen elsewhere: a bundle's run script
 * picks its step's span id so that it can hand TRACEPARENT to the step before the runner hears
 * of the step, and the runner then records the step under that id.
 */
export class PresettableIdGenerator implements IdGenerator {
  readonly #random = new RandomIdGenerator();
  generateTraceId = (): string => this.#random.generateTraceId();
  generateSpanId = (): string => {
    const preset = presetSpanId;
    presetSpanId = undefined;
    return preset ?? this.#random.generateSpanId();
  };
}

const spanIdPattern = /^(?!0{16})[0-9a-f]{16}$/;

/** Runs `start` (which starts one span, synchronously) so that the span gets `spanId`. */
export function withPresetSpanId<T>(spanId: string, start: () => T): T {
  if (!spanIdPattern.test(spanId)) throw new Error('a span id is 16 lower-case hex digits, not all zero');
  presetSpanId = spanId;
  try {
    return start();
  } finally {
    presetSpanId = undefined;
  }
}
