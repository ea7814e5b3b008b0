import type Docker from 'dockerode';
import { buildContextLimits, defaultBaseImage, endpoints } from '@lading/contracts';
import { buildBundle, BuildRefusedError } from '@lading/build';
import { AllowedRegistries, OciError, type RegistryCredentials } from '@lading/oci';
import { parseEgress, RuntimeError, unpackBundleContext } from '@lading/runtime';
import { serviceEnv } from '@lading/stack';
import { serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';
import { instruments } from '@lading/telemetry';
import { BuildContextStore } from './context-store.js';
import { ContextUploads } from './context-uploads.js';

const refusalCodes = { invalid: 'invalid_request', unresolvable: 'unresolvable', failed: 'build_failed' } as const;

/**
 * Serves `contextUpload` and `build`: the CLI uploads the bundle directory's archive chunk by
 * chunk under its digest, then asks for a build of that digest.
 */
export async function serveBuild(
  context: ServiceContext,
  docker: Docker,
  loginFor: (host: string) => RegistryCredentials | undefined = () => undefined,
): Promise<void> {
  const store = await BuildContextStore.open(context.nc);
  const uploads = new ContextUploads(store);
  // The only registries a lading.yaml may make the builder contact (LADING_REGISTRY is the front door).
  const frontDoor = process.env.LADING_REGISTRY ?? '127.0.0.1:5000';
  const registries = AllowedRegistries.fromList(frontDoor, process.env.LADING_ALLOWED_REGISTRIES);
  const registryFor = (host: string, what: string) => registries.clientFor(host, what, loginFor(host));
  const buildEgress = parseEgress(serviceEnv.buildEgress, process.env[serviceEnv.buildEgress]);

  serveEndpoint(context.service, endpoints.contextUpload, (request, { caller }) => uploads.receive(request, caller?.principal ?? ''), context.logger);

  serveEndpoint(
    context.service,
    endpoints.build,
    async ({ context: digest, registry, reference }) => {
      const log: string[] = [];
      try {
        const files = await unpackBundleContext(await store.read(digest), buildContextLimits);
        const output = await buildBundle({
          files,
          docker,
          registryFor,
          defaultBaseImage: defaultBaseImage(frontDoor),
          buildEgress,
          destination: { ...(registry === undefined ? {} : { registry }), ...(reference === undefined ? {} : { reference }) },
          log: (line) => log.push(line),
        });
        instruments().buildsFinished.add(1, { outcome: 'succeeded' });
        return { bundle: output.bundle, tag: output.tag, log };
      } catch (error) {
        instruments().buildsFinished.add(1, { outcome: 'failed' });
        if (error instanceof ServiceFailure) throw error;
        if (error instanceof BuildRefusedError) throw new ServiceFailure(refusalCodes[error.kind], error.message);
        if (error instanceof RuntimeError) throw new ServiceFailure('invalid_request', error.message);
        // Registry failures name the registry and the cause already; never an "internal error".
        if (error instanceof OciError) throw new ServiceFailure('upstream_failed', error.message);
        throw error;
      }
    },
    context.logger,
  );
}
