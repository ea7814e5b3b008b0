import { z } from 'zod';
import { digestSchema } from './references.js';
import { cnabDocumentSchema } from '../cnab/document-schema.js';
import type { Bundle } from '../cnab/documents.js';

/**
 * How large a bundle directory may be: the CLI refuses to pack more and the builder refuses to
 * take more. A tar archive adds at most a few bytes of header per entry to the files themselves.
 */
export const buildContextLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxEntries: 10_000,
  /** The largest archive of a directory within the two limits above. */
  maxArchiveBytes: 64 * 1024 * 1024 + 10_000 * 1024,
  /** Bytes of archive per upload message (base64 in JSON stays well under NATS's 8 MB payload). */
  chunkBytes: 1024 * 1024,
} as const;

export const buildRequestSchema = z.object({
  /** sha256 of the build context's tar archive, uploaded through `contextUpload` first. */
  context: digestSchema,
  /** Publish under this registry instead of the manifest's (Porter's --registry); the builder checks the form. */
  registry: z.string().min(1).max(255).optional(),
  /** Publish as this whole reference instead (Porter's --reference). */
  reference: z.string().min(1).max(512).optional(),
});

export const contextUploadRequestSchema = z.object({
  /** sha256 of the whole archive, computed by the uploader and verified by the builder. */
  digest: digestSchema,
  size: z.number().int().positive().max(buildContextLimits.maxArchiveBytes),
  /** The session the builder handed out for the first chunk; absent on the first chunk. */
  upload: z.string().regex(/^[a-f0-9]{32}$/).optional(),
  /** Where this chunk starts in the archive; chunks arrive in order. */
  offset: z.number().int().nonnegative(),
  /** The chunk, base64. */
  data: z.string().base64().max(Math.ceil(buildContextLimits.chunkBytes / 3) * 4),
});
export type ContextUploadRequest = z.infer<typeof contextUploadRequestSchema>;

export const contextUploadReplySchema = z.object({
  upload: z.string(),
  /** Bytes received so far; the next chunk starts here. */
  received: z.number().int().nonnegative(),
  /** True once the builder holds the context under its digest (at once when it already did). */
  stored: z.boolean(),
});
export type ContextUploadReply = z.infer<typeof contextUploadReplySchema>;

export const buildReplySchema = z.object({
  /** The bundle.json, every image pinned by digest. */
  bundle: cnabDocumentSchema<Bundle>('bundle'),
  /** Where `lading publish` puts it: `<registry>/<name>:v<version>`. */
  tag: z.string(),
  /** What the builder did, step by step, for the CLI to show. */
  log: z.array(z.string()),
});
