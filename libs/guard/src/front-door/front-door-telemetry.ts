import { extractTraceContext, instruments, recordSpan, SpanKind } from '@lading/telemetry';
import type { ServedExchange } from './data-plane-messages.js';
import { parseOciRoute, routeTemplate } from '../oci/oci-route.js';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * One server span per front-door request, continuing the client's trace when it sent
 * `traceparent`, and the front door's RED metrics and bytes relayed. Attributes follow
 * OpenTelemetry's HTTP conventions with a route template: no repository, tag or digest.
 */
export function recordServedExchange(exchange: ServedExchange): void {
  const route = routeTemplate(parseOciRoute(exchange.target));
  const method = knownMethods.has(exchange.method) ? exchange.method : '_OTHER';
  const labels = { 'http.request.method': method, 'http.route': route, 'http.response.status_code': exchange.status };
  const headers = new Map(Object.entries({ traceparent: exchange.traceparent, tracestate: exchange.tracestate }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const parent = extractTraceContext({ get: (key) => headers.get(key), set: () => undefined });
  const attributes = {
    ...labels,
    'url.scheme': 'http',
    'http.request.body.size': exchange.requestBytes,
    'http.response.body.size': exchange.responseBytes,
    ...(exchange.status >= 500 || exchange.status === 0 ? { 'error.type': String(exchange.status) } : {}),
  };
  recordSpan('lading', `${method} ${route}`, attributes, exchange.startedAt, exchange.endedAt, parent, SpanKind.SERVER);
  const metrics = instruments();
  metrics.httpDuration.record((exchange.endedAt - exchange.startedAt) / 1000, labels);
  metrics.httpBodySize.record(exchange.responseBytes, labels);
  metrics.relayedBytes.add(exchange.requestBytes, { 'http.request.method': method, 'http.route': route, direction: 'request' });
  metrics.relayedBytes.add(exchange.responseBytes, { 'http.request.method': method, 'http.route': route, direction: 'response' });
}
