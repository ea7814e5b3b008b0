import { BundlePublisher, RegistryTokens, startFrontDoor, TagLedger } from '@lading/guard';
import { AllowedRegistries, RegistryClient } from '@lading/oci';
import { runService } from '@lading/service-kit';
import { guardSettings, readSettings } from '@lading/service-kit/settings';
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
    const settings = readSettings(guardSettings, process.env);
    const upstreamUrl = settings.upstreamRegistry.href.replace(/\/$/, '');
    const port = settings.port;
    const publicHost = settings.publicHost ?? `127.0.0.1:${port}`;
    const ledger = await TagLedger.open(context.nc, {
      forcePrincipals: settings.forcePrincipals,
      instanceId: settings.hostname ? `${settings.hostname}-${process.pid}` : undefined,
      // How long a reservation outlives a crashed guard: shorter frees a tag sooner, longer tolerates slower writes.
      reservationTtlMs: settings.reservationTtlMs,
    });
    const upstreamOrigin = settings.upstreamRegistry;
    // The scheme decides, not the host: an http:// upstream on another machine is still plain HTTP.
    const upstreamAuth = upstreamCredentials(settings);
    const upstream = new RegistryClient({
      registry: upstreamOrigin.host,
      insecure: upstreamOrigin.protocol === 'http:',
      credentials: upstreamAuth,
    });

    // Registries besides the front door that referenced images may be copied from at publish.
    const sources = new AllowedRegistries(publicHost, settings.allowedRegistries);
    servePublish(context, new BundlePublisher(ledger, upstream, publicHost, sources));
    serveTagAudit(context, ledger);
    serveTagDrift(context, ledger, upstream);

    const frontDoor = await startFrontDoor({
      upstreamUrl,
      upstreamAuth,
      ledger,
      ...registryPrincipals(settings, context.config.principalsFile),
      tokens: new RegistryTokens(tokenKey(upstreamAuth)),
      port,
      host: settings.host,
      headerTimeoutMs: settings.headerTimeoutMs,
      maxConnectionsPerClient: settings.maxConnectionsPerClient,
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
