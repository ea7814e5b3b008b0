import { connectDocker, ensureDockerAvailable } from '@lading/runtime';
import { runService } from '@lading/service-kit';
import { builderSettings, readSettings } from '@lading/service-kit/settings';
import { serveBuild } from './build-endpoint.js';
import { frontDoorLogin } from './front-door-login.js';

await runService({
  role: 'builder',
  version: '0.1.0',
  description: 'Turns lading.yaml into bundle.json: images pinned by digest, invocation image built non-root and pushed by digest',
  async start(context) {
    const docker = connectDocker();
    await ensureDockerAvailable(docker);
    const settings = readSettings(builderSettings, process.env);
    await serveBuild(context, docker, settings, frontDoorLogin(settings));
  },
});
