import type { NatsConnection } from '@nats-io/nats-core';
import { buildContextLimits, endpoints } from '@lading/contracts';
import { sha256Digest } from '@lading/oci';
import { callEndpoint } from '@lading/service-kit/client';
import { CodedError } from '@lading/contracts/errors';

/**
 * Hands a build context's archive to the builder under its sha256, chunk by chunk, and returns
 * that digest for the build request. The builder keeps the context where only it can read, and
 * answers at once when it already holds the digest.
 */
export async function uploadBuildContext(nc: NatsConnection, archive: Buffer): Promise<string> {
  const digest = sha256Digest(archive);
  let upload: string | undefined;
  for (let offset = 0; offset < archive.length; offset += buildContextLimits.chunkBytes) {
    const data = archive.subarray(offset, offset + buildContextLimits.chunkBytes).toString('base64');
    const reply = await callEndpoint(nc, endpoints.contextUpload, { digest, size: archive.length, upload, offset, data });
    if (reply.stored) return digest;
    upload = reply.upload;
  }
  throw new CodedError('upstream_failed', `the builder did not confirm that it stored build context ${digest}`);
}
