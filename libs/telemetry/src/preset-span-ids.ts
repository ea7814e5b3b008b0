let presetSpanId: string | undefined;

/** The span id chosen for the span being started, once (see PresettableIdGenerator). */
export function takePresetSpanId(): string | undefined {
  const preset = presetSpanId;
  presetSpanId = undefined;
  return preset;
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
