/**
 * What `lading copy` costs against `skopeo copy` of the same images in the same run: a bundle
 * (invocation image and one referenced image, LADING_BENCH_LAYERS layers of LADING_BENCH_LAYER_MB
 * random bytes each) copied within one registry (lading mounts every blob) and between two
 * registries (each blob streamed once), each timed LADING_BENCH_REPEATS times into fresh
 * repositories; skopeo copies the same two images by digest the same way (between registries into
 * a registry of its own). The first copy across sends every blob; later rounds into fresh
 * repositories of the same registry may mount (skopeo remembers where it put blobs). Blob bytes
 * sent are counted on the wire by a relay in front of each registry.
 *
 *   npx tsx tools/bench/copy-bundle.ts
 *
 * A tool, not a test: it asserts nothing. Starts its own registries on free ports and removes them.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { copyBundle, MediaTypes, RegistryClient, sha256Digest } from '@lading/oci/internal';
import { startRegistry, startRegistryRelay } from '@lading/testkit';
import { publishBundleOf } from '../../libs/oci/test/support/tiny-bundle.js';

const run = promisify(execFile);
const MB = 1024 * 1024;
const layers = Number(process.env.LADING_BENCH_LAYERS ?? 3);
const layerMb = Number(process.env.LADING_BENCH_LAYER_MB ?? 16);
const repeats = Number(process.env.LADING_BENCH_REPEATS ?? 5);

async function pushImage(client: RegistryClient, repository: string): Promise<{ digest: string; mediaType: string; size: number }> {
  const descriptors = [];
  for (let index = 0; index < layers; index += 1) {
    const layer = randomBytes(layerMb * MB);
    await client.uploadBlob(repository, layer);
    descriptors.push({ mediaType: MediaTypes.ociLayerTar, digest: sha256Digest(layer), size: layer.length });
  }
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: descriptors.map((layer) => layer.digest) } }));
  await client.uploadBlob(repository, config);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: { mediaType: MediaTypes.ociConfig, digest: sha256Digest(config), size: config.length }, layers: descriptors }));
  const digest = await client.putManifest(repository, sha256Digest(manifest), MediaTypes.ociManifest, manifest);
  return { digest, mediaType: MediaTypes.ociManifest, size: manifest.length };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  // Each tool copies across into a registry of its own, so neither finds blobs the other sent.
  const [registryA, registryB, registryC] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
  const [relayA, relayB, relayC] = await Promise.all([startRegistryRelay(registryA.url), startRegistryRelay(registryB.url), startRegistryRelay(registryC.url)]);
  try {
    const a = new RegistryClient({ registry: relayA.host });
    const b = new RegistryClient({ registry: relayB.host });
    const invocation = await pushImage(a, 'bundles/app');
    const tool = await pushImage(a, 'library/tool');
    const bundleDigest = await publishBundleOf(a, invocation, tool);

    const skopeo = async (to: string, repository: string) => {
      for (const image of [invocation, tool]) {
        await run('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${relayA.host}/bundles/app@${image.digest}`, `docker://${to}/${repository}@${image.digest}`]);
      }
    };
    const lading = (to: RegistryClient, repository: string) => copyBundle({ from: a, fromRepo: 'bundles/app', digest: bundleDigest, to, toRepo: repository, tag: 'v1', force: false });
    const cases = [
      { name: 'within one registry', relays: { lading: relayA, skopeo: relayA }, lading: (repo: string) => lading(a, repo), skopeo: (repo: string) => skopeo(relayA.host, repo) },
      { name: 'between two registries', relays: { lading: relayB, skopeo: relayC }, lading: (repo: string) => lading(b, repo), skopeo: (repo: string) => skopeo(relayC.host, repo) },
    ];
    const total = 2 * layers * layerMb;
    console.log(`bundle: 2 images × ${layers} layers × ${layerMb} MiB = ${total} MiB of layers; ${repeats} copies each, fresh repositories`);
    for (const entry of cases) {
      const figures: Record<string, { ms: number[]; mib: number[] }> = { lading: { ms: [], mib: [] }, skopeo: { ms: [], mib: [] } };
      for (let round = 0; round < repeats; round += 1) {
        for (const tool of ['lading', 'skopeo'] as const) {
          const before = entry.relays[tool].uploadedBlobBytes();
          const started = performance.now();
          await entry[tool](`bench-${tool}-${round}/app`);
          figures[tool].ms.push(performance.now() - started);
          figures[tool].mib.push((entry.relays[tool].uploadedBlobBytes() - before) / MB);
        }
      }
      const [l, s] = [figures.lading, figures.skopeo];
      const line = (label: string, pick: (values: number[]) => number) =>
        `${entry.name}, ${label}: lading copy ${pick(l.ms).toFixed(0)} ms, ${pick(l.mib).toFixed(1)} MiB sent; skopeo copy ${pick(s.ms).toFixed(0)} ms, ${pick(s.mib).toFixed(1)} MiB sent; time lading/skopeo ${(pick(l.ms) / pick(s.ms)).toFixed(2)}`;
      console.log(line('first copy', (values) => values[0]));
      console.log(line('later copies p50', (values) => median(values.slice(1))));
    }
  } finally {
    await Promise.all([relayA.stop(), relayB.stop(), relayC.stop()]);
    await Promise.all([registryA.stop(), registryB.stop(), registryC.stop()]);
  }
}

await main();
