import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultHome, stackPaths } from '@lading/stack/home';
import { extractTraceContext, initCommandTelemetry, trace, withSpan, SpanKind, type CommandTelemetry } from '@lading/telemetry';
import { cliSettings, readSetting } from '@lading/service-kit/settings';
import { cliVersion } from './version.js';

let telemetry: CommandTelemetry | undefined;

/**
 * Each command is one trace: its root span is this process's, named after the command (never its
 * arguments, which can hold values), and every NATS call it makes continues it in the services.
 * Spans go where OTEL_* says, and to the embedded store (LADING_SPANS_FILE, else the stack's logs);
 * with neither, the SDK is not loaded and the command only hands its trace id on.
 */
export async function traceCommand(program: Command, argv: string[]): Promise<void> {
  const started = await initCommandTelemetry({ serviceName: 'lading-cli', serviceVersion: cliVersion, spansFile: spansFile() });
  telemetry = started;
  program.hook('preAction', (_program, action) => {
    trace.getActiveSpan()?.updateName(commandPath(action));
  });
  await withSpan('lading', 'lading', {}, () => program.parseAsync(argv), started.rootParent(callersTrace()), { kind: SpanKind.CLIENT });
}

/**
 * A command started with TRACEPARENT (and TRACESTATE) in its environment continues that trace, as
 * OpenTelemetry's environment-variable carriers say: a CI job's build, publish and install become one trace.
 */
function callersTrace() {
  const carried = new Map<string, string>();
  const traceParent = readSetting(cliSettings.traceParent, process.env);
  const traceState = readSetting(cliSettings.traceState, process.env);
  if (traceParent) carried.set('traceparent', traceParent);
  if (traceState) carried.set('tracestate', traceState);
  return extractTraceContext({ get: (key) => carried.get(key), set: () => undefined });
}

/** LADING_SPANS_FILE, else the embedded store of a stack this host runs. */
function spansFile(): string | undefined {
  const chosen = readSetting(cliSettings.spansFile, process.env);
  if (chosen) return chosen;
  const paths = stackPaths(defaultHome());
  return existsSync(paths.logsDir) ? paths.cliSpansFile : undefined;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Exports what is still batched; the process exits after it, however the command ended. */
export async function flushTelemetry(): Promise<void> {
  await telemetry?.shutdown().catch(() => undefined);
}
