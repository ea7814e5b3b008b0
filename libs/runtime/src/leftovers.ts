import type Docker from 'dockerode';
import { ownerLabels, type ContainerOwner } from './bundle-labels.js';

export interface RemovedLeftovers {
  containers: string[];
  networks: string[];
}

/**
 * Removes the bundle containers and run networks of exactly this runner of this stack, running
 * or not. A runner that was killed (SIGKILL, a lost node) cannot remove them, and a container
 * still holds a run's values on its tmpfs: the runner clears its own on its next start. Matching
 * both labels leaves other runners, and other stacks sharing the Docker host, alone.
 */
export async function removeLeftovers(docker: Docker, owner: ContainerOwner): Promise<RemovedLeftovers> {
  const filters = JSON.stringify({ label: Object.entries(ownerLabels(owner)).map(([key, value]) => `${key}=${value}`) });
  const containers = await docker.listContainers({ all: true, filters });
  for (const container of containers) await docker.getContainer(container.Id).remove({ force: true, v: true });
  // Networks after containers: Docker refuses to remove a network a container is still on.
  const networks = await docker.listNetworks({ filters });
  for (const network of networks) await docker.getNetwork(network.Id).remove();
  return { containers: containers.map((container) => container.Id), networks: networks.map((network) => network.Id) };
}
