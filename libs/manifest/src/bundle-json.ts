import { ownValue } from '@lading/contracts';
import {
  DEPENDENCIES_EXTENSION,
  PARAMETER_SOURCES_EXTENSION,
  bundleSchemaVersion,
  validateBundle,
  type Bundle,
  type BundleCredential,
  type BundleImage,
  type BundleOutput,
  type BundleParameter,
  type JsonSchemaDefinition,
} from '@lading/cnab';
import { parameterSourcesOf, stateEntries } from './bundle-memory.js';
import { dependenciesOf } from './bundle-dependencies.js';
import { CUSTOM_EXTENSION_KEY, OUTPUTS_DIR, STATE_VALUE_NAME } from './constants.js';
import { parseImageReference } from './image-reference.js';
import type { Manifest, ResolvedImages } from './types.js';

/** Guarantee 2: bundle.json only ever names images by digest, and the digest must agree. */
function digestReference(what: string, reference: string, digest: string): string {
  const parsed = parseImageReference(reference);
  if (parsed?.digest === undefined || parsed.tag !== undefined) {
    throw new Error(`The ${what} reference "${reference}" is not of the form repo@sha256:…; resolve it to a digest first.`);
  }
  if (parsed.digest !== digest) {
    throw new Error(`The ${what} reference "${reference}" does not match its digest ${digest}; resolve it again.`);
  }
  return reference;
}

const definitionName = (kind: 'parameter' | 'output', name: string): string => `${name}-${kind}`;

/** bundle.json for a parsed manifest and the digests the builder resolved; it validates against the CNAB schema. */
export function toBundleJson(manifest: Manifest, resolved: ResolvedImages): Bundle {
  const definitions: Record<string, JsonSchemaDefinition> = {};

  const credentials: Record<string, BundleCredential> = {};
  for (const c of manifest.credentials) {
    credentials[c.name] = {
      ...(c.description === undefined ? {} : { description: c.description }),
      ...(c.env === undefined ? {} : { env: c.env }),
      ...(c.path === undefined ? {} : { path: c.path }),
      required: c.required,
      ...(c.applyTo === undefined ? {} : { applyTo: c.applyTo }),
    };
  }

  const parameters: Record<string, BundleParameter> = {};
  for (const p of manifest.parameters) {
    const definition = definitionName('parameter', p.name);
    definitions[definition] = {
      ...p.schema,
      // A file parameter's value is the file's content, delivered at its path.
      type: p.type === 'file' ? 'string' : p.type,
      ...(p.default === undefined ? {} : { default: p.default as JsonSchemaDefinition['default'] }),
      ...(p.sensitive ? { writeOnly: true } : {}),
    };
    parameters[p.name] = {
      definition,
      destination: { ...(p.env === undefined ? {} : { env: p.env }), ...(p.path === undefined ? {} : { path: p.path }) },
      required: p.required,
      ...(p.description === undefined ? {} : { description: p.description }),
      ...(p.applyTo === undefined ? {} : { applyTo: p.applyTo }),
    };
  }

  const outputs: Record<string, BundleOutput> = {};
  for (const o of manifest.outputs) {
    const definition = definitionName('output', o.name);
    definitions[definition] = { ...o.schema, type: o.type === undefined || o.type === 'file' ? 'string' : o.type, ...(o.sensitive ? { writeOnly: true } : {}) };
    outputs[o.name] = {
      definition,
      path: `${OUTPUTS_DIR}/${o.name}`,
      ...(o.description === undefined ? {} : { description: o.description }),
      ...(o.applyTo === undefined ? {} : { applyTo: o.applyTo }),
    };
  }

  const state = stateEntries(manifest);
  if (state !== undefined) {
    definitions[state.parameter.definition] = state.definition;
    parameters[STATE_VALUE_NAME] = state.parameter;
    outputs[STATE_VALUE_NAME] = state.output;
  }
  const sources = parameterSourcesOf(manifest);
  const dependencies = dependenciesOf(manifest);
  const requiredExtensions = [...(sources === undefined ? [] : [PARAMETER_SOURCES_EXTENSION]), ...(dependencies === undefined ? [] : [DEPENDENCIES_EXTENSION])];

  const images: Record<string, BundleImage> = {};
  for (const [name, image] of Object.entries(manifest.images)) {
    const found = ownValue(resolved.images, name);
    if (found === undefined) throw new Error(`Image "${name}" was not resolved to a digest; resolve every entry of images: before writing bundle.json.`);
    images[name] = {
      imageType: 'docker',
      image: digestReference(`image "${name}"`, found.reference, found.digest),
      contentDigest: found.digest,
      ...(found.mediaType === undefined ? {} : { mediaType: found.mediaType }),
      ...(found.size === undefined ? {} : { size: found.size }),
      ...(image.description === undefined ? {} : { description: image.description }),
    };
  }

  const invocation = resolved.invocationImage;
  const bundle: Bundle = {
    schemaVersion: bundleSchemaVersion,
    name: manifest.name,
    version: manifest.version,
    ...(manifest.description === undefined ? {} : { description: manifest.description }),
    invocationImages: [
      {
        imageType: 'docker',
        image: digestReference('invocation image', invocation.reference, invocation.digest),
        contentDigest: invocation.digest,
        mediaType: invocation.mediaType,
        size: invocation.size,
      },
    ],
    images,
    credentials,
    parameters,
    outputs,
    definitions,
    custom: {
      [CUSTOM_EXTENSION_KEY]: {
        baseImage: digestReference('base image', resolved.baseImage.reference, resolved.baseImage.digest),
        ...(manifest.baseImage === undefined ? {} : { manifestBaseImage: manifest.baseImage }),
        // Its run script reads the trace line and runs each step under a span (older bundles refuse the line).
        traceContext: true,
        ...(dependencies === undefined || Object.keys(dependencies.parameters).length === 0 ? {} : { dependencyParameters: dependencies.parameters }),
      },
      ...(sources === undefined ? {} : { [PARAMETER_SOURCES_EXTENSION]: sources }),
      ...(dependencies === undefined ? {} : { [DEPENDENCIES_EXTENSION]: dependencies.extension }),
    },
    ...(requiredExtensions.length === 0 ? {} : { requiredExtensions }),
  };
  if (Object.keys(manifest.customActions).length > 0) {
    bundle.actions = Object.fromEntries(
      Object.entries(manifest.customActions).map(([name, a]) => [
        name,
        { modifies: a.modifies, stateless: a.stateless, ...(a.description === undefined ? {} : { description: a.description }) },
      ]),
    );
  }
  return validateBundle(bundle);
}
