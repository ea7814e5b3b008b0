import { endpoints } from '@lading/contracts';
import { assertNamespace, assertPerson, mayUseNamespace, serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';
import type { RunRecords } from '@lading/store';

/** Read-only answers about installations, runs, outputs and logs, for the CLI. */
export function serveInstallationQueries(context: ServiceContext, records: RunRecords): void {
  const { service, logger } = context;
  const installation = async (namespace: string, name: string) => {
    const found = await records.getInstallation(namespace, name);
    if (!found) throw new ServiceFailure('not_found', `there is no installation named ${name}: see \`lading installations list\``);
    return found.value;
  };

  serveEndpoint(
    service,
    endpoints.installationsList,
    async ({ namespace }, { caller }) => {
      const person = assertPerson(caller);
      if (namespace !== undefined) assertNamespace(person, namespace);
      const items = await records.listInstallations(namespace);
      return { items: items.filter((item) => mayUseNamespace(person, item.namespace)) };
    },
    logger,
  );
  serveEndpoint(
    service,
    endpoints.installationsShow,
    async ({ name, namespace }, { caller }) => {
      assertNamespace(caller, namespace);
      return { installation: await installation(namespace, name) };
    },
    logger,
  );
  serveEndpoint(
    service,
    endpoints.installationsRuns,
    async ({ name, namespace }, { caller }) => {
      assertNamespace(caller, namespace);
      await installation(namespace, name);
      const runs = await records.runsOf(namespace, name);
      return {
        runs: runs.map((run) => ({
          runId: run.runId,
          action: run.action,
          status: run.status,
          created: run.claim?.created ?? run.updatedAt,
          exitCode: run.exitCode,
          traceId: run.traceId,
        })),
      };
    },
    logger,
  );
  serveEndpoint(
    service,
    endpoints.installationsOutputs,
    async ({ name, namespace }, { caller }) => {
      assertNamespace(caller, namespace);
      await installation(namespace, name);
      return { outputs: await records.outputsOf(namespace, name) };
    },
    logger,
  );
  serveEndpoint(
    service,
    endpoints.installationsLogs,
    async ({ name, namespace }, { caller }) => {
      assertNamespace(caller, namespace);
      const record = await installation(namespace, name);
      return { runId: record.lastRunId, log: (await records.logOf(record.lastRunId)) ?? '' };
    },
    logger,
  );
}
