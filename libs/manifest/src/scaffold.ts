import { KUBECONFIG_PATH, MANIFEST_FILE_NAME, MANIFEST_SCHEMA_VERSION } from './constants.js';
import { isRegistryLocation, parseImageReference } from './image-reference.js';
import { bundleNamePattern } from './rules.js';
import { CodedError } from '@lading/contracts/errors';

export interface ScaffoldOptions {
  name: string;
  registry: string;
  baseImage: string;
}

function checkOptions({ name, registry, baseImage }: ScaffoldOptions): { repository: string; pin: string } {
  if (!bundleNamePattern.test(name)) {
    throw new CodedError('invalid_request', `The bundle name "${name}" is not valid; use 1-63 lower-case letters, digits or -, starting with a letter or digit.`);
  }
  if (!isRegistryLocation(registry)) {
    throw new CodedError('invalid_request', `The registry "${registry}" is not valid; give a registry and optional path such as 127.0.0.1:5000/team.`);
  }
  const base = parseImageReference(baseImage);
  if (base === undefined) {
    throw new CodedError('invalid_request', `The base image "${baseImage}" is not valid; give a reference with a tag or digest such as 127.0.0.1:5000/lading/busybox:1.35.`);
  }
  const pin = base.digest === undefined ? `tag: ${JSON.stringify(base.tag)}` : `digest: ${base.digest}`;
  return { repository: base.repository, pin };
}

/** A starter lading.yaml that parses as it is and shows every section with a comment. */
export function scaffoldManifest(options: ScaffoldOptions): string {
  const { repository, pin } = checkOptions(options);
  const { name, registry, baseImage } = options;
  return `# ${MANIFEST_FILE_NAME}: what Lading builds, publishes and runs for this bundle.
schemaVersion: ${MANIFEST_SCHEMA_VERSION}
name: ${name}
version: 0.1.0
description: ${JSON.stringify(`The ${name} bundle`)}

# The bundle is published as <registry>/<name>:v<version>.
registry: ${registry}

# The invocation image is built FROM this image, pinned to its digest at build time.
# It needs /bin/sh with base64, grep, tee and cp (busybox has them all).
baseImage: ${baseImage}

# Credentials are resolved when a run starts and handed only to that run; they never go into
# the image, bundle.json, logs or run records.
credentials:
  # Delivered as an environment variable of the bundle's run script (not of the container).
  - name: api-token
    env: API_TOKEN
    required: true
    applyTo: [install, upgrade]
  # Delivered as a file: the path links into a tmpfs the runner mounts for the run only.
  - name: kubeconfig
    path: ${KUBECONFIG_PATH}
    required: false

# Parameters: non-sensitive values may have a default; mark secrets with "sensitive: true".
parameters:
  - name: greeting
    type: string
    default: hello
    env: GREETING
    applyTo: [install, upgrade]

# Outputs: written to /cnab/app/outputs/<name> by a step (or by your own scripts).
outputs:
  - name: message
    applyTo: [install, upgrade]

# Other images the bundle uses: resolved to digests and copied with the bundle when published.
images:
  base:
    repository: ${repository}
    ${pin}

# Custom actions are declared here and get their own top-level list of steps, for example:
# customActions:
#   status: { description: Shows status, modifies: false, stateless: false }
# status:
#   - exec: { command: echo, arguments: [all good] }

# Each action is a list of steps using the exec mixin. {{ bundle.parameters.NAME }} and
# {{ bundle.credentials.NAME }} in arguments become the value at run time, as one argument.
install:
  - exec:
      description: Say hello
      command: echo
      arguments:
        - "{{ bundle.parameters.greeting }} from ${name}"
      outputs:
        - name: message
          regex: "[a-z]+ from [a-z0-9-]+"
  - exec:
      description: Check the API token arrived
      command: sh
      # Read secrets from their variable inside the script rather than templating them into it.
      arguments: ["-c", 'test -n "$API_TOKEN" && echo "API token received"']

upgrade:
  - exec:
      description: Say hello again
      command: echo
      arguments:
        - "{{ bundle.parameters.greeting }} again from ${name}"
      outputs:
        - name: message
          regex: "[a-z]+ again from [a-z0-9-]+"

uninstall:
  - exec:
      description: Say goodbye
      command: echo
      arguments: [goodbye from ${name}]
`;
}

/** The files \`lading create\` writes: the manifest and a README explaining the next steps. */
export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  const manifest = scaffoldManifest(options);
  const readme = `# ${options.name}

A CNAB bundle built with Lading. Edit \`${MANIFEST_FILE_NAME}\`, then:

    lading build
    lading publish
    lading install ${options.name} --cred <credential-set>

Every file in this directory is copied into the bundle's invocation image under /cnab/app.
`;
  return { [MANIFEST_FILE_NAME]: manifest, 'README.md': readme };
}
