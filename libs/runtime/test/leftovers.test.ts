import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker, makeBusyboxBaseImage, ownerLabels, removeLeftovers, type ContainerOwner } from '../src/internal.js';
import { containerExists, removeImages, uniqueName } from './docker-fixtures.js';

const docker = connectDocker();
const baseTag = `${uniqueName('leftover-base')}:busybox`;

beforeAll(async () => {
  await makeBusyboxBaseImage(docker, { tag: baseTag });
});

afterAll(async () => {
  await removeImages(docker, [baseTag]);
});

async function networkExists(id: string): Promise<boolean> {
  return docker
    .getNetwork(id)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

describe('removeLeftovers', () => {
  it("removes this runner's containers (running or not) and networks of this stack only: not another runner's, not another stack's runner of the same id", async () => {
    const runnerId = uniqueName('runner');
    const mine: ContainerOwner = { runnerId, stackId: uniqueName('stack') };
    const sameIdOtherStack: ContainerOwner = { runnerId, stackId: uniqueName('stack') };
    const otherRunner: ContainerOwner = { runnerId: `${runnerId}-other`, stackId: mine.stackId };
    const network = (owner: ContainerOwner) => docker.createNetwork({ Name: uniqueName('leftover-net'), Labels: ownerLabels(owner) });
    const container = (owner: ContainerOwner, networkId: string) =>
      docker.createContainer({ Image: baseTag, Cmd: ['sleep', '300'], Labels: ownerLabels(owner), name: uniqueName('leftover'), HostConfig: { NetworkMode: networkId } });

    const myNetwork = await network(mine);
    const running = await container(mine, myNetwork.id);
    await running.start();
    const stopped = await container(mine, myNetwork.id);
    const theirNetwork = await network(sameIdOtherStack);
    const theirs = await container(sameIdOtherStack, theirNetwork.id);
    await theirs.start();
    const neighbour = await container(otherRunner, 'none');
    try {
      const removed = await removeLeftovers(docker, mine);
      expect(removed.containers.sort()).toEqual([running.id, stopped.id].sort());
      expect(removed.networks).toEqual([myNetwork.id]);
      expect(await containerExists(docker, running.id)).toBe(false);
      expect(await containerExists(docker, stopped.id)).toBe(false);
      expect(await networkExists(myNetwork.id)).toBe(false);
      expect((await theirs.inspect()).State.Running).toBe(true);
      expect(await networkExists(theirNetwork.id)).toBe(true);
      expect(await containerExists(docker, neighbour.id)).toBe(true);
    } finally {
      for (const left of [theirs, neighbour]) await left.remove({ force: true }).catch(() => undefined);
      await theirNetwork.remove().catch(() => undefined);
      await myNetwork.remove().catch(() => undefined);
    }
  });
});
