import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { ownerLabels, type ContainerOwner } from './bundle-labels.js';
import { RuntimeError } from './errors.js';
import { createRunNetwork, removeRunNetwork } from './run-network.js';

/**
 * Run networks made ahead of the runs that will use them, so that a run does not wait for Docker
 * to create one (over a second on a busy host). Each network is handed out once, to exactly one
 * run, which removes it afterwards: a network is never given back, so nothing of one run is ever
 * on another run's network. Pooled networks carry the owner's labels, so whatever a runner that
 * died left idle here is removed with its other leftovers when it starts again.
 */
export class RunNetworkPool {
  readonly #docker: Docker;
  readonly #labels: Record<string, string>;
  readonly #size: number;
  /** Creations under way or done, oldest first; a failed one resolves to undefined. */
  #ahead: Array<Promise<string | undefined>> = [];
  #closed = false;

  constructor(docker: Docker, owner: ContainerOwner, size: number) {
    this.#docker = docker;
    this.#labels = ownerLabels(owner);
    this.#size = size;
    this.#fill();
  }

  /** Resolves once the networks made at construction exist (or failed), e.g. before a runner says it is ready. */
  async ready(): Promise<void> {
    await Promise.all(this.#ahead);
  }

  /**
   * A fresh network for one run, which the run removes when it ends. One made ahead when there is
   * one; otherwise, or when making it ahead failed, one made now, so that Docker's error is the run's.
   */
  async take(): Promise<string> {
    if (this.#closed) throw new RuntimeError('invalid-run-options', 'The runner is stopping: it hands out no more run networks.');
    const next = this.#ahead.shift();
    this.#fill();
    return (await next) ?? (await this.#create());
  }

  /** Removes the networks no run has taken; later takes are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#ahead.splice(0);
    for (const network of await Promise.all(idle)) if (network) await removeRunNetwork(this.#docker, network);
  }

  #fill(): void {
    while (!this.#closed && this.#ahead.length < this.#size) {
      this.#ahead.push(this.#create().catch(() => undefined));
    }
  }

  #create(): Promise<string> {
    return createRunNetwork(this.#docker, `lading-net-${randomBytes(6).toString('hex')}`, this.#labels, 'on');
  }
}
