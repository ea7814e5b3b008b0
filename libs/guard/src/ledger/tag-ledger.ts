import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { buckets } from '@lading/contracts';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  ForceNotAllowedError,
  TagConflictError,
  TagDeleteRefusedError,
  TagDriftError,
  TagLedgerBusyError,
  TagNotFoundError,
} from './tag-errors.js';
import { driftPrincipal, type TagDrift } from './tag-drift.js';
import type { LedgerEntry } from './ledger-entry.js';
import { LedgerStore, type StoredEntry } from './ledger-store.js';
import { appendTagAudit, ensureTagAuditStream, readTagAudit, type TagAuditEntry } from './tag-audit.js';
import { parseTagKey, tagKey } from './tag-key.js';
import type {
  DeleteTagRequest,
  DeleteTagResult,
  TagLedgerOptions,
  WriteTagRequest,
  WriteTagResult,
} from './ledger-types.js';

/** Upper bound on ledger changes one request follows before giving up; each step is a real change. */
const maxSteps = 200;
const adoptedPrincipal = 'upstream (tag existed before the guard)';

interface Target {
  repository: string;
  tag: string;
  key: string;
}

/**
 * The registry guard's source of truth for tags. Every decision is one compare-and-set on the
 * tags bucket, so any number of replicas sharing NATS agree on exactly one winner per change.
 */
export class TagLedger {
  readonly instanceId: string;
  private readonly forcePrincipals: ReadonlySet<string>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly store: LedgerStore,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    options: TagLedgerOptions,
  ) {
    this.instanceId = options.instanceId ?? `guard-${randomBytes(6).toString('hex')}`;
    this.forcePrincipals = new Set(options.forcePrincipals);
    this.ttlMs = options.reservationTtlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Opens (creating if needed) the tags bucket and the tag audit stream. */
  static async open(nc: NatsConnection, options: TagLedgerOptions): Promise<TagLedger> {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const kv = await new Kvm(js).create(buckets.tags, { history: 5 });
    await ensureTagAuditStream(jsm);
    return new TagLedger(new LedgerStore(kv), js, jsm, options);
  }

  mayForce(principal: string): boolean {
    return this.forcePrincipals.has(principal);
  }

  async getTag(repository: string, tag: string): Promise<LedgerEntry | undefined> {
    return (await this.store.read(tagKey(repository, tag)))?.entry;
  }

  /** Forced overwrites and deletes, oldest first; with `limit`, the latest `limit` of them. */
  listTagAudit(limit?: number): Promise<TagAuditEntry[]> {
    return readTagAudit(this.jsm, limit);
  }

  async writeTag(request: WriteTagRequest): Promise<WriteTagResult> {
    if (request.force) this.assertMayForce(request.principal);
    const target = this.target(request.repository, request.tag);
    const { digest } = request;
    for (let step = 0; step < maxSteps; step++) {
      const current = await this.store.read(target.key);
      if (!current) {
        if (await this.adoptUpstreamTag(target, request.upstream)) continue;
        const reservation = this.reservation(target, digest, request.principal, {});
        const revision = await this.store.tryCreate(target.key, reservation);
        if (revision === undefined) continue;
        await this.finishWrite(target, revision, reservation, request, undefined);
        return { outcome: 'created', digest };
      }
      const { entry, revision } = current;
      if (entry.state === 'pending') {
        await this.settlePending(target, current, request.upstream);
        continue;
      }
      const drifted = entry.digest === digest ? await this.driftOf(target, current, request.upstream) : undefined;
      if (entry.digest === digest && !drifted) return { outcome: 'unchanged', digest };
      // A drifted tag is restored only when forced; otherwise the client is told what the upstream serves.
      if (drifted && !request.force) throw new TagDriftError(target.repository, target.tag, entry.digest, drifted.upstreamDigest);
      if (!drifted && !request.force) throw new TagConflictError(target.repository, target.tag, entry.digest);
      const reservation = this.reservation(target, digest, request.principal, { previousDigest: entry.digest, forced: true });
      const won = await this.store.tryUpdate(target.key, reservation, revision);
      if (won === undefined) continue;
      await this.finishWrite(target, won, reservation, request, entry);
      // A restored tag replaced what the upstream served, not the ledger's own digest.
      return { outcome: 'replaced', digest, previousDigest: drifted ? (drifted.upstreamDigest ?? undefined) : entry.digest };
    }
    throw new TagLedgerBusyError(target.repository, target.tag, 'too many concurrent changes');
  }

  /** Removing a tag is an overwrite: refused unless forced by an allowed principal, and audited. */
  async deleteTag(request: DeleteTagRequest): Promise<DeleteTagResult> {
    if (request.force) this.assertMayForce(request.principal);
    const target = this.target(request.repository, request.tag);
    for (let step = 0; step < maxSteps; step++) {
      const current = await this.store.read(target.key);
      if (!current) {
        if (await this.adoptUpstreamTag(target, request.upstream)) continue;
        throw new TagNotFoundError(target.repository, target.tag);
      }
      const { entry, revision } = current;
      if (entry.state === 'pending') {
        await this.settlePending(target, current, request.upstream);
        continue;
      }
      if (!request.force) throw new TagDeleteRefusedError(target.repository, target.tag, entry.digest);
      const reservation = this.reservation(target, entry.digest, request.principal, {
        previousDigest: entry.digest,
        deleting: true,
        forced: true,
      });
      const won = await this.store.tryUpdate(target.key, reservation, revision);
      if (won === undefined) continue;
      await this.withinReservation(target, won, entry, (signal) => request.upstream.deleteTag(signal));
      await this.audit(target, won, reservation, null);
      if (!(await this.store.tryDelete(target.key, won))) {
        throw new TagLedgerBusyError(target.repository, target.tag, 'the delete reservation expired before it finished');
      }
      return { previousDigest: entry.digest };
    }
    throw new TagLedgerBusyError(target.repository, target.tag, 'too many concurrent changes');
  }

  /**
   * After a manifest was deleted upstream by digest, forgets every committed tag of that
   * repository that pointed at it (the upstream removed those tags with it), auditing each.
   */
  async forgetDigest(repository: string, digest: string, principal: string): Promise<string[]> {
    const forgotten: string[] = [];
    for await (const { key, entry, revision } of this.store.entries()) {
      const parsed = parseTagKey(key);
      if (parsed?.repository !== repository || entry.digest !== digest || entry.state !== 'committed') continue;
      if (await this.store.tryDelete(key, revision)) {
        forgotten.push(parsed.tag);
        await this.audit(this.target(parsed.repository, parsed.tag), revision, { ...entry, principal }, null);
      }
    }
    return forgotten;
  }

  /**
   * Every committed tag whose upstream content differs from the ledger, found by asking the
   * upstream for each; each finding is also recorded in the tag audit (once per finding).
   */
  async findDrift(headTag: (repository: string, tag: string) => Promise<string | undefined>): Promise<TagDrift[]> {
    const found: TagDrift[] = [];
    for await (const { key, entry, revision } of this.store.entries()) {
      const parsed = parseTagKey(key);
      if (!parsed || entry.state !== 'committed') continue;
      const drift = await this.driftOf(this.target(parsed.repository, parsed.tag), { entry, revision }, { headTag });
      if (drift) found.push(drift);
    }
    return found;
  }

  assertMayForce(principal: string): void {
    if (!this.mayForce(principal)) throw new ForceNotAllowedError(principal);
  }

  private target(repository: string, tag: string): Target {
    return { repository, tag, key: tagKey(repository, tag) };
  }

  private reservation(
    target: Target,
    digest: string,
    principal: string,
    extra: Pick<LedgerEntry, 'previousDigest' | 'deleting' | 'forced'>,
  ): LedgerEntry {
    const now = this.now();
    return {
      repository: target.repository,
      tag: target.tag,
      digest,
      state: 'pending',
      owner: this.instanceId,
      principal,
      reservedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlMs).toISOString(),
      ...extra,
    };
  }

  private committed(entry: LedgerEntry): LedgerEntry {
    const { previousDigest: _previous, deleting: _deleting, ...rest } = entry;
    return { ...rest, state: 'committed' };
  }

  /** A tag pushed upstream before the guard existed is protected like any other: record it. */
  private async adoptUpstreamTag(
    target: Target,
    upstream: { headTag(repository: string, tag: string): Promise<string | undefined> },
  ): Promise<boolean> {
    const existing = await upstream.headTag(target.repository, target.tag);
    if (!existing) return false;
    const adopted = this.committed(this.reservation(target, existing, adoptedPrincipal, {}));
    await this.store.tryCreate(target.key, adopted);
    return true;
  }

  private async finishWrite(
    target: Target,
    revision: number,
    reservation: LedgerEntry,
    request: WriteTagRequest,
    replaced: LedgerEntry | undefined,
  ): Promise<void> {
    await this.withinReservation(target, revision, replaced, (signal) => request.upstream.putManifest(signal));
    // Audited before the commit, so a crash between the two cannot lose the entry; whoever
    // reconciles the reservation audits the same change again and JetStream keeps one.
    if (reservation.forced) await this.audit(target, revision, reservation, reservation.digest);
    const committed = this.committed(reservation);
    if ((await this.store.tryUpdate(target.key, committed, revision)) !== undefined) return;
    // A replica may have reconciled our expired reservation and committed it for us.
    const now = await this.store.read(target.key);
    if (now?.entry.state === 'committed' && now.entry.digest === reservation.digest) return;
    throw new TagLedgerBusyError(target.repository, target.tag, 'the reservation expired before the upstream write finished');
  }

  /**
   * Runs the upstream side effect while our reservation is valid. The side effect is aborted
   * well before the reservation expires so that no replica reconciles a write still in flight;
   * on failure the previous state is restored with compare-and-set.
   */
  private async withinReservation(
    target: Target,
    revision: number,
    previous: LedgerEntry | undefined,
    effect: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const signal = AbortSignal.timeout(Math.max(1, Math.floor(this.ttlMs / 2)));
    try {
      await effect(signal);
    } catch (error) {
      if (previous) await this.store.tryUpdate(target.key, previous, revision);
      else await this.store.tryDelete(target.key, revision);
      throw error;
    }
  }

  /** Waits for a live reservation to resolve, or reconciles one whose owner is gone. */
  private async settlePending(
    target: Target,
    current: StoredEntry,
    upstream: { headTag(repository: string, tag: string): Promise<string | undefined> },
  ): Promise<void> {
    if (Date.parse(current.entry.expiresAt) > this.now()) {
      await this.waitForChange(target, current);
      return;
    }
    await this.reconcile(target, current, await upstream.headTag(target.repository, target.tag));
  }

  /**
   * The upstream is the truth about what an abandoned reservation achieved: if it serves the
   * reserved digest the write landed and is committed; if it serves something else that stands;
   * if it serves nothing the tag is free again. Each outcome is one compare-and-set.
   */
  private async reconcile(target: Target, { entry, revision }: StoredEntry, upstreamDigest: string | undefined): Promise<void> {
    if (upstreamDigest === undefined) {
      if ((await this.store.tryDelete(target.key, revision)) && entry.deleting) await this.audit(target, revision, entry, null);
      return;
    }
    if (upstreamDigest === entry.digest && !entry.deleting) {
      const landed = await this.store.tryUpdate(target.key, this.committed(entry), revision);
      if (landed !== undefined && entry.forced) await this.audit(target, revision, entry, entry.digest);
      return;
    }
    const standing = this.committed(this.reservation(target, upstreamDigest, adoptedPrincipal, {}));
    await this.store.tryUpdate(target.key, standing, revision);
  }

  private async waitForChange(target: Target, current: StoredEntry): Promise<void> {
    const expiresAt = Date.parse(current.entry.expiresAt);
    let pause = 10;
    while (this.now() < expiresAt) {
      await delay(pause);
      pause = Math.min(pause * 2, 250);
      const latest = await this.store.kv.get(target.key);
      if (!latest || latest.revision !== current.revision) return;
    }
  }

  /**
   * What the upstream serves for a committed tag, when that is not the ledger's digest. A drift
   * is audited under the drift principal; the same finding at the same revision is kept once.
   */
  private async driftOf(
    target: Target,
    { entry, revision }: StoredEntry,
    upstream: { headTag(repository: string, tag: string): Promise<string | undefined> },
  ): Promise<TagDrift | undefined> {
    const served = await upstream.headTag(target.repository, target.tag);
    if (served === entry.digest) return undefined;
    await appendTagAudit(
      this.js,
      {
        at: new Date(this.now()).toISOString(),
        principal: driftPrincipal,
        repository: target.repository,
        tag: target.tag,
        oldDigest: entry.digest,
        newDigest: served ?? null,
      },
      `${target.key}@${revision}:drift:${served ?? 'none'}`,
    );
    return { repository: target.repository, tag: target.tag, ledgerDigest: entry.digest, upstreamDigest: served ?? null };
  }

  /** Records the change that the reservation at `revision` of the tag's key made. */
  private async audit(target: Target, revision: number, entry: LedgerEntry, newDigest: string | null): Promise<void> {
    await appendTagAudit(
      this.js,
      {
        at: new Date(this.now()).toISOString(),
        principal: entry.principal,
        repository: entry.repository,
        tag: entry.tag,
        oldDigest: entry.previousDigest ?? entry.digest,
        newDigest,
      },
      `${target.key}@${revision}`,
    );
  }
}
