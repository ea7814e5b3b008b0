import { PORTER_MANIFEST_FILE_NAME, porterDefaultSchemaVersion } from './dialect.js';
import { isRegistryLocation } from './image-reference.js';
import { bundleNamePattern } from './rules.js';
import { CodedError } from '@lading/contracts/errors';

export interface PorterScaffoldOptions {
  name: string;
  /** Where the bundle is published: <registry>/<name>:v<version>. */
  registry: string;
}

/**
 * The files `lading create --porter` writes, laid out as `porter create` lays them out: a
 * porter.yaml with the exec mixin calling a helper script, the script, and a .dockerignore.
 * No baseImage: the bundle gets the stack's default base image, as Porter's bundles get Porter's.
 */
export function scaffoldPorterFiles({ name, registry }: PorterScaffoldOptions): Record<string, string> {
  if (!bundleNamePattern.test(name)) {
    throw new CodedError('invalid_request', `The bundle name "${name}" is not valid; use 1-63 lower-case letters, digits or -, starting with a letter or digit.`);
  }
  if (!isRegistryLocation(registry)) {
    throw new CodedError('invalid_request', `The registry "${registry}" is not valid; give a registry and optional path such as 127.0.0.1:5000/team.`);
  }
  const manifest = `# ${PORTER_MANIFEST_FILE_NAME}, read by Lading with Porter's meanings (see the field table in Lading's README).
schemaType: Bundle
schemaVersion: ${porterDefaultSchemaVersion}
name: ${name}
version: 0.1.0
description: ${JSON.stringify(`The ${name} bundle`)}

# Published as <registry>/<name>:v<version>; lading build and publish take --registry or --reference instead.
registry: ${registry}

mixins:
  - exec

parameters:
  # With neither env nor path, the value arrives as the environment variable NAME, as in Porter.
  - name: name
    type: string
    default: lading

install:
  - exec:
      description: "Install Hello World"
      command: ./helpers.sh
      arguments:
        - install
        - "\${ bundle.parameters.name }"

upgrade:
  - exec:
      description: "World 2.0"
      command: ./helpers.sh
      arguments:
        - upgrade

uninstall:
  - exec:
      description: "Uninstall Hello World"
      command: ./helpers.sh
      arguments:
        - uninstall
`;
  const helpers = `#!/bin/sh
# Called by the steps of ${PORTER_MANIFEST_FILE_NAME}: the first argument names the function to run.
set -eu

install() {
  echo "Hello, $1"
}

upgrade() {
  echo "Hello again, $NAME"
}

uninstall() {
  echo "Goodbye, $NAME"
}

"$@"
`;
  const dockerignore = `# Files listed here are left out of the bundle's invocation image, as Docker leaves them out of a build.
.git
.gitignore
`;
  return { [PORTER_MANIFEST_FILE_NAME]: manifest, 'helpers.sh': helpers, '.dockerignore': dockerignore };
}
