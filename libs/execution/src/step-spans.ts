import type { StepFrame } from '@lading/runtime';
import { recordSpan, withPresetSpanId, type Context } from '@lading/telemetry';

/**
 * The spans of a run script's steps, recorded from its step frames: each under the span id the
 * script chose and put in the step's TRACEPARENT, so that what a tool in the bundle reports joins
 * the step. A frame is the bundle's own word about its steps, as trustworthy as the bundle.
 */
export class StepSpans {
  readonly #open = new Map<number, { spanId: string; startedAt: number }>();
  readonly #parent: Context;

  constructor(parent: Context) {
    this.#parent = parent;
  }

  frame(frame: StepFrame): void {
    if (frame.kind === 'start') {
      this.#open.set(frame.index, { spanId: frame.spanId, startedAt: Date.now() });
      return;
    }
    this.#record(frame.index, { 'process.exit.code': frame.exitCode });
  }

  /** Steps the container never reported the end of (it was killed, or the script failed): recorded as unfinished. */
  end(): void {
    for (const index of [...this.#open.keys()]) this.#record(index, { 'lading.step.unfinished': true });
  }

  #record(index: number, attributes: Record<string, number | boolean>): void {
    const open = this.#open.get(index);
    if (!open) return;
    this.#open.delete(index);
    withPresetSpanId(open.spanId, () => recordSpan('lading', `step ${index}`, { 'lading.step.index': index, ...attributes }, open.startedAt, Date.now(), this.#parent));
  }
}
