import { activeTraceIds } from '@lading/telemetry';
import type { LogFields, Logger, LogLevel } from './types.js';

/** The active span's ids, so that a log line can be found from its trace and the other way round. */
function traceFields(): { trace_id?: string; span_id?: string } {
  const ids = activeTraceIds();
  return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}

/**
 * Structured JSON logs, one line per event. Callers pass identifiers and counts only: a log
 * line is never the place for a value that came from a secret source.
 */
export function createLogger(service: string, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const log = (level: LogLevel, message: string, fields: LogFields = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, service, message, ...traceFields(), ...fields }) + '\n');
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}
