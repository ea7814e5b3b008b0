import { RandomIdGenerator, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import { takePresetSpanId } from './preset-span-ids.js';

/**
 * Span ids are random, except for a span whose id was chosen elsewhere: a bundle's run script
 * picks its step's span id so that it can hand TRACEPARENT to the step before the runner hears
 * of the step, and the runner then records the step under that id. Kept apart from
 * withPresetSpanId, which every process may call, because this one needs the SDK.
 */
export class PresettableIdGenerator implements IdGenerator {
  readonly #random = new RandomIdGenerator();
  generateTraceId = (): string => this.#random.generateTraceId();
  generateSpanId = (): string => takePresetSpanId() ?? this.#random.generateSpanId();
}
