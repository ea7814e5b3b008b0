import type Docker from 'dockerode';
import { endpoints, objectStores } from '@lading/contracts';
import { buildBundle, BuildRefusedError } from '@lading/build';
import { RegistryClient, type RegistryCredentials } from '@lading/oci';
import { RuntimeError, unpackBundleContext } from '@lading/runtime';
import { openObjectStore, serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';

/** Largest bundle directory the builder accepts, and how many entries it may hold. */
export const buildContextLimits = { maxBytes: 64 * 1024 * 1024, maxEntries: 10_000 };

const refusalCodes = { invalid: 'invalid_request', unresolvable: 'unresolvable', failed: 'build_failed' } as const;

/** Serves `build`: the CLI uploads the bundle directory to the object store and names it. */
export async function serveBuild(
  context: ServiceContext,
  docker: Docker,
  loginFor: (host: string) => RegistryCredentials | undefined = () => undefined,
): Promise<void> {
  const contexts = await openObjectStore(context.nc, objectStores.buildContexts, 60 * 60 * 1000);
  const clients = new Map<string, RegistryClient>();
  const registryFor = (host: string) => {
    if (!clients.has(host)) clients.set(host, new RegistryClient({ registry: host, credentials: loginFor(host) }));
    return clients.get(host) as RegistryClient;
  };

  serveEndpoint(
    context.service,
    endpoints.build,
    async ({ contextObject }) => {
      const log: string[] = [];
      try {
        // Refuse an oversized upload before reading it: tar headers add at most a few bytes per entry.
        const info = await contexts.info(contextObject);
        if (info && info.size > buildContextLimits.maxBytes + buildContextLimits.maxEntries * 1024) {
          throw new ServiceFailure('invalid_request', `the build context is larger than the ${buildContextLimits.maxBytes}-byte limit`);
        }
        const archive = await contexts.getBlob(contextObject);
        if (!archive) throw new ServiceFailure('not_found', `build context ${contextObject} is not in the object store: upload it again`);
        const files = await unpackBundleContext(Buffer.from(archive), buildContextLimits);
        const output = await buildBundle({ files, docker, registryFor, log: (line) => log.push(line) });
        context.counters.increment('builds_succeeded');
        return { bundle: output.bundle, tag: output.tag, log };
      } catch (error) {
        context.counters.increment('builds_failed');
        if (error instanceof ServiceFailure) throw error;
        if (error instanceof BuildRefusedError) throw new ServiceFailure(refusalCodes[error.kind], error.message);
        if (error instanceof RuntimeError) throw new ServiceFailure('invalid_request', error.message);
        throw error;
      } finally {
        await contexts.delete(contextObject).catch(() => undefined);
      }
    },
    context.logger,
  );
}
