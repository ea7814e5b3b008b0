/**
 * A suite that fails on purpose while its bundle container (and the container's run network) is
 * up: the suite's own hooks must remove both all the same. Run only by
 * cleanup-after-failure.test.ts, in an inner vitest, with the owner it will look for afterwards.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { connectDocker, encodeStdinPayload, runBundleContainer } from '../../src/index.js';
import { uniqueName } from '../docker-fixtures.js';
import { useProbeImage } from '../probe-image.js';
import { deliberateFailure, innerOwnerFromEnv, runningLine } from './owner.js';

const docker = connectDocker();
const owner = innerOwnerFromEnv();
const suite = useProbeImage(docker, owner);

it('fails while its bundle container waits to be released', async () => {
  let started: (id: string) => void = () => undefined;
  const containerId = new Promise<string>((resolve) => (started = resolve));
  const paused = new Promise<void>((resolve) => {
    // The run outlives the test: removing its container ends it, and its outcome no longer matters.
    runBundleContainer(docker, {
      image: suite.image(),
      name: uniqueName('left-behind'),
      stdinPayload: encodeStdinPayload({ action: 'pause', nonce: randomBytes(16).toString('hex'), files: {} }),
      owner,
      onStarted: started,
      onStdout: (chunk) => {
        if (chunk.toString().includes('PAUSED')) resolve();
      },
    }).catch(() => undefined);
  });
  await paused;
  console.log(runningLine(await containerId));
  expect.fail(deliberateFailure);
});
