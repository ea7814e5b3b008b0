import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One span as the JSON-lines exporter writes it. */
export interface StoredSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  /** High-resolution times: [seconds, nanoseconds]. */
  start: [number, number];
  end: [number, number];
  attributes?: Record<string, unknown>;
}

const spansFilePattern = /^spans-[A-Za-z0-9_-]+\.jsonl$/;

/** Every span of one trace in the embedded store (the spans-*.jsonl files of a directory), oldest first. */
export async function readTrace(directory: string, traceId: string): Promise<StoredSpan[]> {
  const names = (await readdir(directory).catch(() => [] as string[])).filter((name) => spansFilePattern.test(name));
  const spans: StoredSpan[] = [];
  for (const name of names) {
    const text = await readFile(join(directory, name), 'utf8');
    for (const line of text.split('\n')) {
      // Cheap test first: a store holds many traces.
      if (!line.includes(traceId)) continue;
      try {
        const span = JSON.parse(line) as StoredSpan;
        if (span.traceId === traceId) spans.push(span);
      } catch {
        // A line cut short by a process killed mid-write is not a span.
      }
    }
  }
  return spans.sort((a, b) => nanos(a.start) - nanos(b.start));
}

const nanos = ([seconds, nanoseconds]: [number, number]): number => seconds * 1e9 + nanoseconds;

function duration(span: StoredSpan): string {
  const ms = (nanos(span.end) - nanos(span.start)) / 1e6;
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/**
 * The spans as an indented tree with each span's service and duration; a span whose parent is not
 * in the store (another process's, not kept here) is shown at the top level.
 */
export function renderSpanTree(spans: StoredSpan[]): string {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, StoredSpan[]>();
  const roots: StoredSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    else roots.push(span);
  }
  const lines: string[] = [];
  const walk = (span: StoredSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.name}  ${duration(span)}  (${span.service})`);
    for (const child of children.get(span.spanId) ?? []) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}
