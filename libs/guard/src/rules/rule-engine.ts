import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { DestructiveRefusedError, sendFailure } from './failure-answer.js';
import { ManifestRejectedError, readBoundedBody, validateManifest } from './manifest-body.js';
import { admit, challengeFor } from './admission.js';
import { authenticationRequired, sendAuthenticationRequired, sendOciError } from '../oci/oci-errors.js';
import { classifyRequest, type OciRequest } from '../oci/oci-route.js';
import { forceHeader, type PrincipalFrom } from '../auth/principal.js';
import { tagOutcomeHeader } from '@lading/oci';
import type { RegistryAccess } from './registry-access.js';
import { tokenPath, type RegistryTokens } from '../auth/registry-tokens.js';
import type { TagLedger } from '../ledger/tag-ledger.js';
import { UpstreamLink } from '../upstream/upstream-link.js';
import { UpstreamRegistry } from '../upstream/upstream-registry.js';

export interface FrontDoorOptions {
  /** The real registry, e.g. `http://127.0.0.1:5000`. */
  upstreamUrl: string;
  ledger: TagLedger;
  /** Who is asking; undefined answers 401 with a Basic challenge. See principalFromVerifiers. */
  principalFrom: PrincipalFrom;
  /** What each principal may do: see namespaceAccess. */
  access: RegistryAccess;
  /** Issue and accept bearer tokens, and challenge with Bearer (what Docker needs to log in and still pull anonymously). */
  tokens?: RegistryTokens;
  /** Largest manifest accepted, in bytes. Default 4 MiB. */
  maxManifestBytes?: number;
  /** Public base URL of the guard for Location headers; default: the request's own host. */
  publicUrl?: string;
  /** Credentials the guard itself uses upstream; without them clients' credentials pass through. */
  upstreamAuth?: { username: string; password: string };
}

interface Context {
  req: Request;
  res: Response;
  principal: string;
  force: boolean;
}

const defaultMaxManifestBytes = 4 * 1024 * 1024;

/**
 * The front door's rule engine: serves what the data plane does not relay to the upstream itself
 * (manifest writes, every delete, refusals of invalid paths, the token endpoint), every tag write
 * and delete through the tag ledger.
 */
export function createRuleEngine(options: FrontDoorOptions): Express {
  const link = new UpstreamLink(options);
  const registry = new UpstreamRegistry(link);
  const maxManifestBytes = options.maxManifestBytes ?? defaultMaxManifestBytes;
  const { ledger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', false);

  const writeManifestByTag = async (ctx: Context, name: string, tag: string) => {
    const bytes = await readBoundedBody(ctx.req, ctx.req.headers['content-length'], maxManifestBytes);
    const manifest = validateManifest(bytes, ctx.req.headers['content-type']);
    const result = await ledger.writeTag({
      repository: name,
      tag,
      digest: manifest.digest,
      principal: ctx.principal,
      force: ctx.force,
      upstream: {
        headTag: (repository, ref) => registry.headTag(ctx.req, repository, ref),
        putManifest: async (signal) => {
          await registry.putManifest(ctx.req, name, tag, bytes, manifest.mediaType, signal);
        },
      },
    });
    ctx.res
      .status(201)
      .set({
        location: `${link.publicOrigin(ctx.req)}/v2/${name}/manifests/${manifest.digest}`,
        'docker-content-digest': manifest.digest,
        [tagOutcomeHeader]: result.outcome,
        'content-length': '0',
      })
      .end();
  };

  const writeManifestByDigest = async (ctx: Context, name: string, digest: string) => {
    const bytes = await readBoundedBody(ctx.req, ctx.req.headers['content-length'], maxManifestBytes);
    const manifest = validateManifest(bytes, ctx.req.headers['content-type']);
    if (manifest.digest !== digest) {
      throw new ManifestRejectedError(400, 'DIGEST_INVALID', `the manifest's digest is ${manifest.digest}, not ${digest}; push it under its own digest`);
    }
    const answer = await registry.putManifest(ctx.req, name, digest, bytes, manifest.mediaType);
    ctx.res.writeHead(answer.status, link.responseHeaders(answer.headers, ctx.req)).end(answer.body);
  };

  const deleteTag = async (ctx: Context, name: string, tag: string) => {
    await ledger.deleteTag({
      repository: name,
      tag,
      principal: ctx.principal,
      force: ctx.force,
      upstream: {
        headTag: (repository, ref) => registry.headTag(ctx.req, repository, ref),
        deleteTag: async (signal) => {
          await registry.deleteManifest(ctx.req, name, tag, signal);
        },
      },
    });
    ctx.res.status(202).set('content-length', '0').end();
  };

  const deleteManifestByDigest = async (ctx: Context, name: string, digest: string) => {
    requireForce(ctx, `deleting manifest ${name}@${digest} removes every tag that points at it`);
    const answer = await registry.deleteManifest(ctx.req, name, digest);
    await ledger.forgetDigest(name, digest, ctx.principal);
    ctx.res.writeHead(answer.status, link.responseHeaders(answer.headers, ctx.req)).end(answer.body);
  };

  const deleteBlob = async (ctx: Context, name: string, digest: string) => {
    requireForce(ctx, `deleting blob ${name}@${digest} breaks every manifest that uses it`);
    const answer = await registry.deleteBlob(ctx.req, name, digest);
    ctx.res.writeHead(answer.status, link.responseHeaders(answer.headers, ctx.req)).end(answer.body);
  };

  const requireForce = (ctx: Context, what: string) => {
    if (!ctx.force) throw new DestructiveRefusedError(`${what}; retry with --force (header ${forceHeader}: true)`);
    ledger.assertMayForce(ctx.principal);
  };

  // Reads and uploads never come here: the data plane relays them to the upstream itself.
  const dispatch = async (ctx: Context, { route, action }: OciRequest): Promise<void> => {
    if (route.kind === 'manifest') {
      if (action === 'write-tag') return writeManifestByTag(ctx, route.repository, route.reference);
      if (action === 'push-by-digest') return writeManifestByDigest(ctx, route.repository, route.reference);
      if (action === 'delete-tag') return deleteTag(ctx, route.repository, route.reference);
      if (action === 'delete-content') return deleteManifestByDigest(ctx, route.repository, route.reference);
    }
    if (route.kind === 'blob' && action === 'delete-content') return deleteBlob(ctx, route.repository, route.reference);
    sendOciError(ctx.res, 405, 'UNSUPPORTED', `${ctx.req.method} is not supported on ${ctx.req.path}`);
  };

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const request = classifyRequest(req.method, req.originalUrl);
    const { route } = request;
    if (route.kind === 'unknown') return next();
    if (route.kind === 'invalid') return sendOciError(res, 400, route.code, route.message);
    const verdict = admit(options, req.headers, request);
    if (verdict.refusal?.status === 401) return sendAuthenticationRequired(res, verdict.refusal.message, challengeFor(options, link, req));
    if (verdict.refusal) return sendOciError(res, 403, 'DENIED', verdict.refusal.message);
    const principal = verdict.principal as string;
    const ctx: Context = { req, res, principal, force: req.headers[forceHeader] === 'true' };
    try {
      await dispatch(ctx, request);
    } catch (error) {
      sendFailure(res, error);
    }
  });
  // Docker and skopeo follow the Bearer challenge here, with the login they have or none.
  app.get(tokenPath, (req: Request, res: Response) => {
    const principal = options.tokens && !req.headers.authorization?.toLowerCase().startsWith('bearer ') ? options.principalFrom(req) : undefined;
    if (!options.tokens || principal === undefined) return sendAuthenticationRequired(res, authenticationRequired, challengeFor(options, link, req));
    res.json(options.tokens.issue(principal));
  });
  return app;
}
