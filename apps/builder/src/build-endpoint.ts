import type Docker from 'dockerode';
import { buildContextLimits, endpoints } from '@lading/contracts';
import { buildBundle, BuildRefusedError } from '@lading/build';
import { RegistryClient } from '@lading/oci';
import { RuntimeError, unpackBundleContext } from '@lading/runtime';
import { serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';
import { BuildContextStore } from './context-store.js';
import { ContextUploads } from './context-uploads.js';

const refusalCodes = { invalid: 'invalid_request', unresolvable: 'unresolvable', failed: 'build_failed' } as const;

/**
 * Serves `contextUpload` and `build`: the CLI uploads the bundle directory's archive chunk by
 * chunk under its digest, then asks for a build of that digest.
 */
export async function serveBuild(context: ServiceContext, docker: Docker): Promise<void> {
  const store = await BuildContextStore.open(context.nc);
  const uploads = new ContextUploads(store);
  const clients = new Map<string, RegistryClient>();
  const registryFor = (host: string) => {
    if (!clients.has(host)) clients.set(host, new RegistryClient({ registry: host }));
    return clients.get(host) as RegistryClient;
  };

  serveEndpoint(context.service, endpoints.contextUpload, (request, { caller }) => uploads.receive(request, caller?.principal ?? ''), context.logger);

  serveEndpoint(
    context.service,
    endpoints.build,
    async ({ context: digest }) => {
      const log: string[] = [];
      try {
        const files = await unpackBundleContext(await store.read(digest), buildContextLimits);
        const output = await buildBundle({ files, docker, registryFor, log: (line) => log.push(line) });
        context.counters.increment('builds_succeeded');
        return { bundle: output.bundle, tag: output.tag, log };
      } catch (error) {
        context.counters.increment('builds_failed');
        if (error instanceof ServiceFailure) throw error;
        if (error instanceof BuildRefusedError) throw new ServiceFailure(refusalCodes[error.kind], error.message);
        if (error instanceof RuntimeError) throw new ServiceFailure('invalid_request', error.message);
        throw error;
      }
    },
    context.logger,
  );
}
