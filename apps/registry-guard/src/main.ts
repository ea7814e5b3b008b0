import { readFileSync } from 'node:fs';
import { BundlePublisher, principalFromBasicAuth, startFrontDoor, TagLedger } from '@lading/guard';
import { AllowedRegistries, RegistryClient } from '@lading/oci';
import { runService } from '@lading/service-kit';
import { servePublish } from './publish-endpoint.js';
import { serveTagAudit } from './tag-audit-endpoint.js';

function readUsers(file: string | undefined): Record<string, string> {
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/**
 * How long a tag reservation outlives a crashed guard (LADING_GUARD_RESERVATION_TTL_MS): shorter
 * frees a tag sooner after a crash, longer tolerates slower upstream writes. Default: the ledger's.
 */
function reservationTtl(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.LADING_GUARD_RESERVATION_TTL_MS;
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new Error(`LADING_GUARD_RESERVATION_TTL_MS must be a positive whole number of milliseconds, not "${value}"`);
  }
  return parsed;
}

await runService({
  role: 'guard',
  version: '0.1.0',
  description: 'The registry front door: every tag write goes through a race-free ledger; no overwrite without --force',
  async start(context) {
    const env = process.env;
    const upstreamUrl = env.LADING_UPSTREAM_REGISTRY ?? 'http://127.0.0.1:5001';
    const port = Number(env.LADING_GUARD_PORT ?? 5000);
    const publicHost = env.LADING_GUARD_PUBLIC_HOST ?? `127.0.0.1:${port}`;
    const forcePrincipals = (env.LADING_FORCE_PRINCIPALS ?? 'cli').split(',').filter(Boolean);
    const ledger = await TagLedger.open(context.nc, {
      forcePrincipals,
      instanceId: env.HOSTNAME ? `${env.HOSTNAME}-${process.pid}` : undefined,
      reservationTtlMs: reservationTtl(env),
    });
    const upstreamOrigin = new URL(upstreamUrl);
    // The scheme decides, not the host: an http:// upstream on another machine is still plain HTTP.
    const upstream = new RegistryClient({ registry: upstreamOrigin.host, insecure: upstreamOrigin.protocol === 'http:' });

    // Registries besides the front door that referenced images may be copied from at publish.
    const sources = AllowedRegistries.fromList(publicHost, env.LADING_ALLOWED_REGISTRIES);
    servePublish(context, new BundlePublisher(ledger, upstream, publicHost, sources), env.LADING_NATS_PUBLISH_PRINCIPAL ?? 'cli');
    serveTagAudit(context, ledger);

    const frontDoor = await startFrontDoor({
      upstreamUrl,
      ledger,
      principalFrom: principalFromBasicAuth(readUsers(env.LADING_GUARD_USERS_FILE), 'anonymous'),
      port,
      host: env.LADING_GUARD_HOST ?? '127.0.0.1',
    });
    context.logger.info('front door listening', { port, upstream: upstreamUrl });
    // A guard whose port no longer answers must not look healthy: stop, and let the supervisor restart it.
    void frontDoor.failed.then((error) => {
      context.logger.error('front door stopped', { error: error.message });
      process.exit(1);
    });
    context.onShutdown(() => frontDoor.close());
  },
});
