import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ObjectStore } from '@nats-io/obj';
import { buildContextLimits, objectStores } from '@lading/contracts';
import { sha256Digest } from '@lading/oci';
import { openObjectStore, ServiceFailure } from '@lading/service-kit';

/** How long a stored context stays for builds that name it: a second build of the same directory skips the upload. */
const contextLifetimeMs = 60 * 60 * 1000;

/**
 * Build contexts by content digest, in an object store only the builder may touch. A context is
 * written once, after its digest was verified, so a name always means the same bytes; reading
 * verifies them again and fetches each chunk with one bounded request, so a context that
 * changes or disappears mid-read is a clear failure instead of a wait that never ends.
 */
export class BuildContextStore {
  private readonly writes = new Map<string, Promise<void>>();

  private constructor(
    private readonly objects: ObjectStore,
    private readonly manager: JetStreamManager,
  ) {}

  static async open(nc: NatsConnection): Promise<BuildContextStore> {
    return new BuildContextStore(await openObjectStore(nc, objectStores.buildContexts, contextLifetimeMs), await jetstreamManager(nc));
  }

  async has(digest: string): Promise<boolean> {
    const info = await this.objects.info(digest);
    return info !== null && !info.deleted && !info.options?.link && info.size > 0;
  }

  /** Stores verified bytes under their digest, unless already there; concurrent stores of one digest share one write. */
  async storeOnce(bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    const running = this.writes.get(digest);
    if (running) return running.then(() => digest);
    const write = (async () => {
      if (!(await this.has(digest))) await this.objects.putBlob({ name: digest }, bytes);
    })().finally(() => this.writes.delete(digest));
    this.writes.set(digest, write);
    await write;
    return digest;
  }

  /** The context's archive, verified against its digest; `onChunk` sees each chunk as it arrives. */
  async read(digest: string, onChunk: (index: number) => Promise<void> | void = () => undefined): Promise<Buffer> {
    const info = await this.objects.info(digest);
    if (!info || info.deleted || info.options?.link || info.size === 0) {
      throw new ServiceFailure('not_found', `build context ${digest} is not stored in the builder: upload it again with \`lading build\``);
    }
    if (info.size > buildContextLimits.maxArchiveBytes) {
      throw new ServiceFailure('invalid_request', `the build context is larger than the ${buildContextLimits.maxBytes}-byte limit`);
    }
    const stream = `OBJ_${objectStores.buildContexts}`;
    const subject = `$O.${objectStores.buildContexts}.C.${info.nuid}`;
    const parts: Uint8Array[] = [];
    let sequence = 0;
    for (let index = 0; index < info.chunks; index += 1) {
      const chunk = await this.manager.direct.getMessage(stream, { seq: sequence + 1, next_by_subj: subject });
      if (!chunk) throw new ServiceFailure('not_found', `build context ${digest} went missing while the builder read it: upload it again with \`lading build\``);
      sequence = chunk.seq;
      parts.push(chunk.data);
      await onChunk(index);
    }
    const bytes = Buffer.concat(parts);
    if (sha256Digest(bytes) !== digest) {
      throw new ServiceFailure('conflict', `build context ${digest} changed while the builder read it, so nothing was built: upload it again with \`lading build\``);
    }
    return bytes;
  }
}
