import type { RunSummary } from '@lading/contracts';
import { defaultHome, stackPaths } from '@lading/stack/home';
import { readTrace, renderSpanTree } from '@lading/telemetry';
import { UserError } from './user-error.js';

/** `installations runs NAME --trace RUN`: the run's span tree, from the spans this host's stack keeps. */
export async function printRunTrace(runs: RunSummary[], runId: string): Promise<void> {
  const run = runs.find((candidate) => candidate.runId === runId);
  if (!run) throw new UserError(`the installation has no run ${runId}: see \`lading installations runs\` for its runs`);
  if (!run.traceId) throw new UserError(`run ${runId} was recorded without a trace id`);
  const { logsDir } = stackPaths(defaultHome());
  const spans = await readTrace(logsDir, run.traceId);
  if (spans.length === 0) throw new UserError(`no span of trace ${run.traceId} is in ${logsDir}: its spans are kept where the stack runs`);
  process.stdout.write(`trace ${run.traceId}\n${renderSpanTree(spans)}`);
}
