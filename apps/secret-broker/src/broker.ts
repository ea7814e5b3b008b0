import { endpoints, sealingContexts, streams } from '@lading/contracts';
import { openRunState } from '@lading/leases';
import type { RegistryClient } from '@lading/oci';
import { BuiltinStore, KeyRotation, namespacedSecretName, open, reservedSecretNameProblem, runScopedSecretName, sealingPublicKey, secretNamespaceOf, type SecretStore } from '@lading/secrets';
import {
  assertNamespace,
  assertPerson,
  callEndpoint,
  mayUseNamespace,
  ensureStream,
  serveEndpoint,
  ServiceFailure,
  type ServiceContext,
} from '@lading/service-kit';
import type { KeyObject } from 'node:crypto';
import { forgetSetValues, separateValues } from './set-values.js';
import { readLeaseAudit, runsVisibleTo } from './lease-audit-reader.js';
import { showOutput } from './output-show.js';
import { deleteInstallation } from './installation-delete.js';
import { serveRunPath } from './run-path.js';

export interface BrokerParts {
  brokerKey: KeyObject;
  store: SecretStore;
  /** The built-in store's at-rest key file, which `secretsRotateKey` replaces. */
  storeKeyFile: string;
  /** The registry front door bundle.json is read through when a run is admitted. */
  registry: RegistryClient;
}

/** The namespace a set document names (CNAB sets carry it as `namespace`, default the default one). */
function setNamespace(document: unknown): string {
  const namespace = (document as { namespace?: unknown }).namespace;
  return typeof namespace === 'string' ? namespace : '';
}

/** Registers every secret-broker endpoint on the service. */
export async function startBroker(context: ServiceContext, parts: BrokerParts): Promise<void> {
  const { nc, service, logger } = context;
  await ensureStream(nc, streams.leaseAudit);
  const runState = await openRunState(nc, parts.store, parts.brokerKey);
  const { credentialSets, parameterSets } = runState;
  const runs = runState.records;
  const publicKey = sealingPublicKey(parts.brokerKey);

  serveEndpoint(service, endpoints.brokerPublicKey, async () => ({ publicKey }), logger);

  serveEndpoint(
    service,
    endpoints.secretsSet,
    async ({ name, namespace, sealed }, { caller }) => {
      assertNamespace(caller, namespace);
      refuseReservedName(name);
      const stored = namespacedSecretName(namespace, name);
      await parts.store.set(stored, open(sealed, parts.brokerKey, sealingContexts.secretValue(stored)));
      logger.info('secret stored', { name, namespace });
      return { name };
    },
    logger,
  );
  serveEndpoint(
    service,
    endpoints.secretsList,
    async ({ namespace }, { caller }) => {
      assertNamespace(caller, namespace);
      const names = (await parts.store.list()).flatMap((stored) => {
        const owned = secretNamespaceOf(stored);
        return owned && owned.namespace === namespace ? [owned.name] : [];
      });
      return { names };
    },
    logger,
  );
  serveEndpoint(
    service,
    endpoints.secretsDelete,
    async ({ name, namespace }, { caller }) => {
      assertNamespace(caller, namespace);
      refuseReservedName(name);
      const stored = namespacedSecretName(namespace, name);
      if ((await parts.store.get(stored)) === undefined) throw new ServiceFailure('not_found', `there is no secret named ${name}${namespace ? ` in namespace ${namespace}` : ''}`);
      await parts.store.delete(stored);
      return { name };
    },
    logger,
  );

  for (const [sets, calls] of [
    [credentialSets, { apply: endpoints.credentialsApply, list: endpoints.credentialsList, show: endpoints.credentialsShow, delete: endpoints.credentialsDelete }],
    [parameterSets, { apply: endpoints.parametersApply, list: endpoints.parametersList, show: endpoints.parametersShow, delete: endpoints.parametersDelete }],
  ] as const) {
    const noun = sets.kind === 'credentials' ? 'credential set' : 'parameter set';
    serveEndpoint(
      service,
      calls.apply,
      async ({ document }, { caller }) => {
        assertNamespace(caller, setNamespace(document));
        const separated = separateValues(sets.kind, document, parts.brokerKey);
        const key = await sets.apply(separated.document);
        for (const [name, value] of separated.values) await parts.store.set(name, value);
        return key;
      },
      logger,
    );
    serveEndpoint(
      service,
      calls.list,
      async ({ namespace }, { caller }) => {
        const person = assertPerson(caller);
        if (namespace !== undefined) assertNamespace(person, namespace);
        const items = await sets.list(namespace);
        return { items: items.filter((item) => mayUseNamespace(person, item.namespace)) };
      },
      logger,
    );
    serveEndpoint(
      service,
      calls.show,
      async (key, { caller }) => {
        assertNamespace(caller, key.namespace);
        const document = await sets.get(key);
        if (!document) throw new ServiceFailure('not_found', `there is no ${noun} named ${key.name}: see \`lading ${sets.kind} list\``);
        return { document };
      },
      logger,
    );
    serveEndpoint(
      service,
      calls.delete,
      async (key, { caller }) => {
        assertNamespace(caller, key.namespace);
        if (!(await sets.delete(key))) throw new ServiceFailure('not_found', `there is no ${noun} named ${key.name}`);
        await forgetSetValues(sets.kind, key.namespace, key.name, parts.store);
        return key;
      },
      logger,
    );
  }

  await serveRunPath(context, runState, parts.registry);

  serveEndpoint(
    service,
    endpoints.outputsStore,
    async ({ runId, output, sealed }) => {
      const secretName = runScopedSecretName(runId, 'output', output);
      await parts.store.set(secretName, open(sealed, parts.brokerKey, sealingContexts.output(runId, output)));
      return { secretName };
    },
    logger,
  );

  serveEndpoint(
    service,
    endpoints.outputsShow,
    async (request, { caller }) => {
      assertNamespace(caller, request.namespace);
      const reply = await showOutput(request, runs, parts.store);
      logger.info('output handed out sealed', { installation: request.installation, namespace: request.namespace, output: request.output, runId: reply.runId });
      return reply;
    },
    logger,
  );

  serveEndpoint(
    service,
    endpoints.installationsDelete,
    async (key, { caller }) => {
      const forgetRecords = async () => (await callEndpoint(nc, endpoints.installationsForget, key)).deletedRuns;
      const reply = await deleteInstallation(key, caller, { state: runState, forgetRecords });
      logger.info('installation deleted', { installation: key.name, namespace: key.namespace, deletedSecrets: reply.deletedSecrets, deletedRuns: reply.deletedRuns });
      return reply;
    },
    logger,
  );

  serveEndpoint(
    service,
    endpoints.leaseAudit,
    async ({ runIds }, { caller }) => ({ entries: await readLeaseAudit(nc, await runsVisibleTo(assertPerson(caller), runIds, runState.admissions)) }),
    logger,
  );

  const rotation = new KeyRotation(parts.store, parts.storeKeyFile);
  if (parts.store instanceof BuiltinStore) {
    const finished = await rotation.finishInterrupted();
    if (finished > 0) logger.info('finished an interrupted key rotation', { rewritten: finished });
  }
  serveEndpoint(
    service,
    endpoints.secretsRotateKey,
    async () => {
      const outcome = await rotation.rotate();
      logger.info('store key rotated', outcome);
      return outcome;
    },
    logger,
  );
}

/** The broker's own secret names are never taken from a request. */
function refuseReservedName(name: string): void {
  const problem = reservedSecretNameProblem(name);
  if (problem) throw new ServiceFailure('invalid_request', problem);
}
