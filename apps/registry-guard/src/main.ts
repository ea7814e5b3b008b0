import { adminPrincipal } from '@lading/contracts';
import { BundlePublisher, RegistryTokens, startFrontDoor, TagLedger } from '@lading/guard';
import { AllowedRegistries, RegistryClient } from '@lading/oci';
import { runService } from '@lading/service-kit';
import { positiveWholeNumber } from './env-settings.js';
import { servePublish } from './publish-endpoint.js';
import { registryPrincipals, tokenKey } from './registry-principals.js';
import { serveTagAudit } from './tag-audit-endpoint.js';
import { serveTagDrift } from './tag-drift-endpoint.js';
import { upstreamCredentials } from './upstream-credentials.js';

await runService({
  role: 'guard',
  version: '0.1.0',
  description: 'The registry front door: every tag write goes through a race-free ledger; no overwrite without --force',
  async start(context) {
    const env = process.env;
    const upstreamUrl = env.LADING_UPSTREAM_REGISTRY ?? 'http://127.0.0.1:5001';
    const port = Number(env.LADING_GUARD_PORT ?? 5000);
    const publicHost = env.LADING_GUARD_PUBLIC_HOST ?? `127.0.0.1:${port}`;
    const forcePrincipals = (env.LADING_FORCE_PRINCIPALS ?? adminPrincipal).split(',').filter(Boolean);
    const ledger = await TagLedger.open(context.nc, {
      forcePrincipals,
      instanceId: env.HOSTNAME ? `${env.HOSTNAME}-${process.pid}` : undefined,
      // How long a reservation outlives a crashed guard: shorter frees a tag sooner, longer tolerates slower writes.
      reservationTtlMs: positiveWholeNumber(env, 'LADING_GUARD_RESERVATION_TTL_MS', 'milliseconds'),
    });
    const upstreamOrigin = new URL(upstreamUrl);
    // The scheme decides, not the host: an http:// upstream on another machine is still plain HTTP.
    const upstreamAuth = upstreamCredentials(env);
    const upstream = new RegistryClient({
      registry: upstreamOrigin.host,
      insecure: upstreamOrigin.protocol === 'http:',
      credentials: upstreamAuth,
    });

    // Registries besides the front door that referenced images may be copied from at publish.
    const sources = AllowedRegistries.fromList(publicHost, env.LADING_ALLOWED_REGISTRIES);
    servePublish(context, new BundlePublisher(ledger, upstream, publicHost, sources));
    serveTagAudit(context, ledger);
    serveTagDrift(context, ledger, upstream);

    const frontDoor = await startFrontDoor({
      upstreamUrl,
      upstreamAuth,
      ledger,
      ...registryPrincipals(env),
      tokens: new RegistryTokens(tokenKey(upstreamAuth)),
      port,
      host: env.LADING_GUARD_HOST ?? '127.0.0.1',
      headerTimeoutMs: positiveWholeNumber(env, 'LADING_GUARD_HEADER_TIMEOUT_MS', 'milliseconds'),
      maxConnectionsPerClient: positiveWholeNumber(env, 'LADING_GUARD_MAX_CONNECTIONS_PER_CLIENT', 'connections'),
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
