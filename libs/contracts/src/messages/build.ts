import { z } from 'zod';

export const buildRequestSchema = z.object({
  /** Name of the tar archive of the bundle directory in the build-context object store. */
  contextObject: z.string().min(1),
});
export type BuildRequest = z.infer<typeof buildRequestSchema>;

export const buildReplySchema = z.object({
  /** The bundle.json, every image pinned by digest. */
  bundle: z.record(z.string(), z.unknown()),
  /** Where `lading publish` puts it: `<registry>/<name>:v<version>`. */
  tag: z.string(),
  /** What the builder did, step by step, for the CLI to show. */
  log: z.array(z.string()),
});
export type BuildReply = z.infer<typeof buildReplySchema>;
