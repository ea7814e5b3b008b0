import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import {
  ForceNotAllowedError,
  TagConflictError,
  TagDeleteRefusedError,
  TagDriftError,
  TagLedgerBusyError,
  TagNotFoundError,
} from './errors.js';
import { ManifestRejectedError, readBoundedBody, validateManifest } from './manifest-body.js';
import { admit, challengeFor } from './admission.js';
import { authenticationRequired, sendAuthenticationRequired, sendOciError } from './oci-errors.js';
import { isRepositoryName } from './oci-names.js';
import { mountSource, parseOciRoute, type OciRoute } from './oci-route.js';
import { forceHeader, type PrincipalFrom } from './principal.js';
import { tagOutcomeHeader } from '@lading/oci';
import type { RegistryAccess } from './registry-access.js';
import { tokenPath, type RegistryTokens } from './registry-tokens.js';
import { streamToUpstream } from './stream-proxy.js';
import type { TagLedger } from './tag-ledger.js';
import { UpstreamLink } from './upstream-link.js';
import { UpstreamRefusedError, UpstreamRegistry } from './upstream-registry.js';
import { CodedError } from '@lading/contracts/errors';

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
const reads = new Set(['GET', 'HEAD']);

/**
 * The registry endpoint clients push to: a streaming reverse proxy of the OCI Distribution API
 * where every tag write and delete goes through the tag ledger.
 */
export function createFrontDoor(options: FrontDoorOptions): Express {
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

  const deleteManifest = async (ctx: Context, name: string, reference: string, byDigest: boolean) => {
    if (!byDigest) {
      await ledger.deleteTag({
        repository: name,
        tag: reference,
        principal: ctx.principal,
        force: ctx.force,
        upstream: {
          headTag: (repository, ref) => registry.headTag(ctx.req, repository, ref),
          deleteTag: async (signal) => {
            await registry.deleteManifest(ctx.req, name, reference, signal);
          },
        },
      });
      ctx.res.status(202).set('content-length', '0').end();
      return;
    }
    requireForce(ctx, `deleting manifest ${name}@${reference} removes every tag that points at it`);
    const answer = await registry.deleteManifest(ctx.req, name, reference);
    await ledger.forgetDigest(name, reference, ctx.principal);
    ctx.res.writeHead(answer.status, link.responseHeaders(answer.headers, ctx.req)).end(answer.body);
  };

  const requireForce = (ctx: Context, what: string) => {
    if (!ctx.force) throw new DestructiveRefusedError(`${what}; retry with --force (header ${forceHeader}: true)`);
    ledger.assertMayForce(ctx.principal);
  };

  const dispatch = async (ctx: Context, route: OciRoute): Promise<void> => {
    const { method } = ctx.req;
    switch (route.kind) {
      case 'manifest':
        if (reads.has(method)) return streamToUpstream(link, ctx.req, ctx.res);
        if (method === 'PUT') {
          return route.byDigest
            ? writeManifestByDigest(ctx, route.name, route.reference)
            : writeManifestByTag(ctx, route.name, route.reference);
        }
        if (method === 'DELETE') return deleteManifest(ctx, route.name, route.reference, route.byDigest);
        break;
      case 'blob':
        if (method === 'DELETE') requireForce(ctx, `deleting blob ${route.name}@${route.digest} breaks every manifest that uses it`);
        if (reads.has(method) || method === 'DELETE') return streamToUpstream(link, ctx.req, ctx.res);
        break;
      case 'uploads': {
        const from = mountSource(ctx.req.originalUrl);
        if (from !== undefined && !isRepositoryName(from)) {
          sendOciError(ctx.res, 400, 'NAME_INVALID', `mount source repository "${from}" is invalid; use a valid repository name`);
          return;
        }
        if (method === 'POST') return streamToUpstream(link, ctx.req, ctx.res);
        break;
      }
      case 'upload':
        if (['GET', 'PATCH', 'PUT', 'DELETE'].includes(method)) return streamToUpstream(link, ctx.req, ctx.res);
        break;
      default:
        if (reads.has(method)) return streamToUpstream(link, ctx.req, ctx.res);
    }
    sendOciError(ctx.res, 405, 'UNSUPPORTED', `${method} is not supported on ${ctx.req.path}`);
  };

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const route = parseOciRoute(req.originalUrl);
    if (route.kind === 'unknown') return next();
    if (route.kind === 'invalid') return sendOciError(res, 400, route.code, route.message);
    const verdict = admit(options, { headers: req.headers, method: req.method, route });
    if (verdict.refusal?.status === 401) return sendAuthenticationRequired(res, verdict.refusal.message, challengeFor(options, link, req));
    if (verdict.refusal) return sendOciError(res, 403, 'DENIED', verdict.refusal.message);
    const principal = verdict.principal as string;
    const ctx: Context = { req, res, principal, force: req.headers[forceHeader] === 'true' };
    try {
      await dispatch(ctx, route);
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

class DestructiveRefusedError extends CodedError {
  constructor(message: string) {
    super('conflict', message);
  }
}

function sendFailure(res: Response, error: unknown): void {
  if (error instanceof TagConflictError) {
    return sendOciError(res, 409, 'DENIED', error.message, { existingDigest: error.existingDigest });
  }
  if (error instanceof TagDeleteRefusedError) {
    return sendOciError(res, 409, 'DENIED', error.message, { existingDigest: error.existingDigest });
  }
  if (error instanceof TagDriftError) {
    return sendOciError(res, 409, 'DENIED', error.message, { ledgerDigest: error.ledgerDigest, upstreamDigest: error.upstreamDigest });
  }
  if (error instanceof DestructiveRefusedError) return sendOciError(res, 409, 'DENIED', error.message);
  if (error instanceof ForceNotAllowedError) return sendOciError(res, 403, 'DENIED', error.message);
  if (error instanceof TagNotFoundError) return sendOciError(res, 404, 'MANIFEST_UNKNOWN', error.message);
  if (error instanceof ManifestRejectedError) return sendOciError(res, error.status, error.ociCode, error.message);
  if (error instanceof TagLedgerBusyError) return sendOciError(res, 503, 'UNAVAILABLE', error.message);
  if (error instanceof UpstreamRefusedError) {
    if (res.headersSent) return void res.destroy();
    const { status, headers, body } = error.answer;
    res.status(status);
    if (headers['content-type']) res.set('content-type', headers['content-type']);
    if (headers['www-authenticate']) res.set('www-authenticate', headers['www-authenticate']);
    res.end(body);
    return;
  }
  sendOciError(res, 500, 'UNKNOWN', `the registry guard failed: ${(error as Error).message}; retry, and report it if it persists`);
}
