import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import protobuf from 'protobufjs';
import { otlpTraceSchema } from './otlp-schema.js';

/** A span as the receiver hands it to the test: ids in hex, attributes flattened to plain values. */
export interface ReceivedSpan {
  service: string;
  resource: Record<string, unknown>;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
}

/**
 * A stand-in for an OpenTelemetry Collector's OTLP/HTTP receiver (no Collector can run here):
 * it takes traces and metrics in protobuf or JSON, keeps every body as it arrived (for the canary
 * search) and decodes the spans.
 */
export interface OtlpReceiver {
  endpoint: string;
  spans: ReceivedSpan[];
  /** Every request body as received, per path and content type. */
  bodies: Array<{ path: string; contentType: string; body: Buffer }>;
  /** Resolves once `holds()` is true: checked now and again after each body that arrives, never on a timer. */
  received(holds: () => boolean): Promise<void>;
  close(): Promise<void>;
}

const traceRequest = protobuf.parse(otlpTraceSchema, { keepCase: false }).root.lookupType('otlp.ExportTraceServiceRequest');

type Json = Record<string, unknown>;

function anyValue(value: Json | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('arrayValue' in value) return ((value.arrayValue as Json).values as Json[] | undefined)?.map(anyValue) ?? [];
  if ('bytesValue' in value) return value.bytesValue;
  return undefined;
}

const attributes = (list: unknown): Record<string, unknown> =>
  Object.fromEntries(((list as Json[] | undefined) ?? []).map((entry) => [entry.key as string, anyValue(entry.value as Json)]));

/** Ids are bytes in protobuf (decoded as base64 by toObject) and hex in OTLP/JSON. */
const hexId = (id: unknown, fromProtobuf: boolean): string => (typeof id !== 'string' || id === '' ? '' : fromProtobuf ? Buffer.from(id, 'base64').toString('hex') : id.toLowerCase());

export function decodeTraces(body: Buffer, contentType: string): ReceivedSpan[] {
  const fromProtobuf = contentType.includes('protobuf');
  const request = fromProtobuf
    ? (traceRequest.toObject(traceRequest.decode(body), { longs: String, bytes: String, defaults: false, oneofs: false }) as Json)
    : (JSON.parse(body.toString('utf8')) as Json);
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of (request.resourceSpans as Json[] | undefined) ?? []) {
    const resource = attributes((resourceSpans.resource as Json | undefined)?.attributes);
    for (const scopeSpans of (resourceSpans.scopeSpans as Json[] | undefined) ?? []) {
      for (const span of (scopeSpans.spans as Json[] | undefined) ?? []) {
        spans.push({
          service: String(resource['service.name']),
          resource,
          traceId: hexId(span.traceId, fromProtobuf),
          spanId: hexId(span.spanId, fromProtobuf),
          parentSpanId: hexId(span.parentSpanId, fromProtobuf),
          name: String(span.name),
          kind: Number(span.kind ?? 0),
          attributes: attributes(span.attributes),
          events: ((span.events as Json[] | undefined) ?? []).map((event) => ({ name: String(event.name), attributes: attributes(event.attributes) })),
        });
      }
    }
  }
  return spans;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: OtlpReceiver['bodies'] = [];
  const arrivals = new EventEmitter();
  const received = (holds: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!holds()) return;
        arrivals.off('body', check);
        resolve();
      };
      arrivals.on('body', check);
      check();
    });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = request.headers['content-type'] ?? '';
      bodies.push({ path: request.url ?? '', contentType, body });
      try {
        if (request.url === '/v1/traces') spans.push(...decodeTraces(body, contentType));
      } catch (error) {
        response.writeHead(400).end(String(error));
        return;
      }
      arrivals.emit('body');
      // An empty Export*ServiceResponse: `{}` in JSON, no bytes in protobuf.
      if (contentType.includes('json')) response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, spans, bodies, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
