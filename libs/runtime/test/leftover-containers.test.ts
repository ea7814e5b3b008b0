import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker, makeBusyboxBaseImage, removeLeftoverContainers } from '../src/index.js';
import { containerExists, removeImages, uniqueName } from './docker-fixtures.js';

const docker = connectDocker();
const baseTag = `${uniqueName('leftover-base')}:busybox`;

beforeAll(async () => {
  await makeBusyboxBaseImage(docker, { tag: baseTag });
});

afterAll(async () => {
  await removeImages(docker, [baseTag]);
});

describe('removeLeftoverContainers', () => {
  it("removes a dead runner's containers, running or not, and leaves other runners' alone", async () => {
    const runner = uniqueName('runner');
    const create = (labels: Record<string, string>) =>
      docker.createContainer({ Image: baseTag, Cmd: ['sleep', '300'], Labels: labels, name: uniqueName('leftover') });
    const running = await create({ 'sh.lading.runner': runner });
    await running.start();
    const stopped = await create({ 'sh.lading.runner': runner });
    const other = await create({ 'sh.lading.runner': `${runner}-other` });
    try {
      const removed = await removeLeftoverContainers(docker, { 'sh.lading.runner': runner });
      expect(removed.sort()).toEqual([running.id, stopped.id].sort());
      expect(await containerExists(docker, running.id)).toBe(false);
      expect(await containerExists(docker, stopped.id)).toBe(false);
      expect(await containerExists(docker, other.id)).toBe(true);
    } finally {
      await other.remove({ force: true });
    }
  });
});
