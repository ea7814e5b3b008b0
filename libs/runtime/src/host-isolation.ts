import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RuntimeError } from './errors.js';
import { runBridgePrefix } from './run-network.js';

const run = promisify(execFile);
const runInterfaces = `${runBridgePrefix}+`;

/**
 * Host firewall rules that make run networks reach neither the host nor each other. Docker
 * filters traffic between its bridges, but a container may still connect to every address of the
 * host itself (the bridge gateway, docker0, the host's own interfaces): those packets are the
 * host's INPUT, which Docker leaves open. Rejecting (rather than dropping) makes a bundle's
 * attempt fail at once instead of waiting for a timeout.
 */
const rules: ReadonlyArray<{ command: string; chain: string; match: string[] }> = [
  { command: 'iptables', chain: 'INPUT', match: ['-i', runInterfaces, '-j', 'REJECT'] },
  { command: 'ip6tables', chain: 'INPUT', match: ['-i', runInterfaces, '-j', 'REJECT'] },
  { command: 'iptables', chain: 'DOCKER-USER', match: ['-i', runInterfaces, '-o', runInterfaces, '-j', 'REJECT'] },
];

/**
 * Adds the rules above where they are missing; idempotent, so every runner on a host may call it
 * at start. Fails closed with one sentence when the host cannot be changed (no iptables, no
 * CAP_NET_ADMIN): a runner must not start bundles that could reach the host.
 */
export async function ensureRunNetworkIsolation(): Promise<void> {
  for (const rule of rules) {
    const present = await run(rule.command, ['-w', '-C', rule.chain, ...rule.match]).then(
      () => true,
      () => false,
    );
    if (present) continue;
    try {
      await run(rule.command, ['-w', '-I', rule.chain, '1', ...rule.match]);
    } catch (error) {
      const reason = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n')[0];
      throw new RuntimeError(
        'host-isolation',
        `Run networks cannot be kept away from the host: \`${rule.command} -I ${rule.chain} ${rule.match.join(' ')}\` failed (${reason}); run the runner as root or with CAP_NET_ADMIN in the host's network namespace, or add the rule on the host.`,
        { cause: error },
      );
    }
  }
}
