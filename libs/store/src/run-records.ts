import type { KV } from '@nats-io/kv';
import { z } from 'zod';
import {
  buckets as bucketNames,
  installationRecordSchema,
  outputRecordSchema,
  runStateSchema,
  type InstallationRecord,
  type OutputRecord,
  type RunState,
} from '@lading/contracts';
import { JsonBucket, type Versioned } from './json-bucket.js';
import { namespacedKey, namespaceFilter } from './keys.js';

/** Logs are kept redacted and capped: the tail matters most when a run fails. */
export const maxStoredLogBytes = 512 * 1024;

export interface RunRecordBuckets {
  installations: KV;
  runs: KV;
  outputs: KV;
  logs: KV;
}

const logSchema = z.object({ runId: z.string(), log: z.string(), truncated: z.boolean() });

/** The runner's records: installations, runs (with their CNAB claim and result), outputs and logs. */
export class RunRecords {
  readonly installations: JsonBucket<typeof installationRecordSchema>;
  readonly runs: JsonBucket<typeof runStateSchema>;
  readonly outputs: JsonBucket<typeof outputRecordSchema>;
  readonly logs: JsonBucket<typeof logSchema>;

  constructor(buckets: RunRecordBuckets) {
    this.installations = new JsonBucket(buckets.installations, installationRecordSchema, 'installation');
    this.runs = new JsonBucket(buckets.runs, runStateSchema, 'run');
    this.outputs = new JsonBucket(buckets.outputs, outputRecordSchema, 'output');
    this.logs = new JsonBucket(buckets.logs, logSchema, 'run log');
  }

  /** Opens the four record buckets by their contract names; `openBucket` creates each on first use. */
  static async open(openBucket: (name: string) => Promise<KV>): Promise<RunRecords> {
    return new RunRecords({
      installations: await openBucket(bucketNames.installations),
      runs: await openBucket(bucketNames.runs),
      outputs: await openBucket(bucketNames.outputs),
      logs: await openBucket(bucketNames.logs),
    });
  }

  getRun(runId: string): Promise<Versioned<RunState> | undefined> {
    return this.runs.get(runId);
  }

  getInstallation(namespace: string, name: string): Promise<Versioned<InstallationRecord> | undefined> {
    return this.installations.get(namespacedKey(namespace, name));
  }

  putInstallation(record: InstallationRecord): Promise<number> {
    return this.installations.put(namespacedKey(record.namespace, record.name), record);
  }

  listInstallations(namespace?: string): Promise<InstallationRecord[]> {
    return this.installations.values(namespaceFilter(namespace));
  }

  async runsOf(namespace: string, name: string): Promise<RunState[]> {
    const all = await this.runs.values();
    return all
      .filter((run) => run.installation === name && run.namespace === namespace)
      .sort((a, b) => (a.claim?.created ?? a.updatedAt).localeCompare(b.claim?.created ?? b.updatedAt));
  }

  putOutput(namespace: string, installation: string, output: OutputRecord): Promise<number> {
    return this.outputs.put(`${namespacedKey(namespace, installation)}.${output.name}`, output);
  }

  outputsOf(namespace: string, installation: string): Promise<OutputRecord[]> {
    return this.outputs.values(`${namespacedKey(namespace, installation)}.*`);
  }

  /** `cut` says the runner already dropped the start of the log (it keeps only the tail while the run streams). */
  putLog(runId: string, log: string, cut = false): Promise<number> {
    const bytes = Buffer.from(log);
    const truncated = cut || bytes.length > maxStoredLogBytes;
    const kept = truncated ? bytes.subarray(bytes.length - maxStoredLogBytes).toString() : log;
    return this.logs.put(runId, { runId, log: kept, truncated });
  }

  /** Deletes an installation's record, its runs, their logs and its outputs; returns how many runs it had. */
  async forgetInstallation(namespace: string, name: string): Promise<number> {
    const runs = await this.runsOf(namespace, name);
    for (const run of runs) {
      await this.logs.purge(run.runId);
      await this.runs.purge(run.runId);
    }
    for (const key of await this.outputs.keys(`${namespacedKey(namespace, name)}.*`)) await this.outputs.purge(key);
    await this.installations.purge(namespacedKey(namespace, name));
    return runs.length;
  }

  async logOf(runId: string): Promise<string | undefined> {
    return (await this.logs.get(runId))?.value.log;
  }
}
