import type Docker from 'dockerode';

/**
 * Removes the containers carrying all of `labels`, running or not. A runner that was killed
 * (SIGKILL, a lost node) cannot remove its bundle containers, and they still hold a run's values
 * on their tmpfs: the runner clears its own on its next start. Returns the ids removed.
 */
export async function removeLeftoverContainers(docker: Docker, labels: Record<string, string>): Promise<string[]> {
  const filters = { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) };
  const found = await docker.listContainers({ all: true, filters: JSON.stringify(filters) });
  for (const container of found) await docker.getContainer(container.Id).remove({ force: true });
  return found.map((container) => container.Id);
}
