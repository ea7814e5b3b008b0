import type Docker from 'dockerode';
import { buildContextLimits, defaultBaseImage, endpoints } from '@lading/contracts';
import { buildBundle } from '@lading/build';
import { AllowedRegistries, type RegistryCredentials } from '@lading/oci';
import { unpackBundleContext } from '@lading/runtime';
import { serveEndpoint, type ServiceContext } from '@lading/service-kit';
import type { builderSettings, SettingValues } from '@lading/service-kit/settings';
import { instruments } from '@lading/telemetry';
import { BuildContextStore } from './context-store.js';
import { ContextUploads } from './context-uploads.js';

/**
 * Serves `contextUpload` and `build`: the CLI uploads the bundle directory's archive chunk by
 * chunk under its digest, then asks for a build of that digest.
 */
export async function serveBuild(
  context: ServiceContext,
  docker: Docker,
  settings: Pick<SettingValues<typeof builderSettings>, 'registry' | 'allowedRegistries' | 'buildEgress'>,
  loginFor: (host: string) => RegistryCredentials | undefined = () => undefined,
): Promise<void> {
  const store = await BuildContextStore.open(context.nc);
  const uploads = new ContextUploads(store);
  // The only registries a lading.yaml may make the builder contact (LADING_REGISTRY is the front door).
  const frontDoor = settings.registry;
  const registries = new AllowedRegistries(frontDoor, settings.allowedRegistries);
  const registryFor = (host: string, what: string) => registries.clientFor(host, what, loginFor(host));
  const buildEgress = settings.buildEgress;

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
        throw error;
      }
    },
    context.logger,
  );
}
