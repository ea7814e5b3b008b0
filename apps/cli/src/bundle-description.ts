import { appliesToText, requiredBundles, type Bundle } from '@lading/cnab';
import type { Row } from './output.js';

/** Rows describing a bundle's images and its credentials, parameters, outputs and actions. */
export function describeBundle(bundle: Bundle) {
  const definitions = bundle.definitions ?? {};
  const images: Row[] = [];
  for (const image of bundle.invocationImages) {
    images.push({ kind: 'invocation', name: '', image: image.image, digest: image.contentDigest ?? '' });
  }
  for (const [name, image] of Object.entries(bundle.images ?? {})) {
    images.push({ kind: 'image', name, image: image.image, digest: image.contentDigest ?? '' });
  }
  const delivery = (target: { env?: string; path?: string } | undefined) =>
    [target?.env ? `env ${target.env}` : '', target?.path ? `file ${target.path}` : ''].filter(Boolean).join(', ');
  const entries: Row[] = [];
  for (const [name, credential] of Object.entries(bundle.credentials ?? {})) {
    entries.push({ kind: 'credential', name, type: '', required: credential.required === true, sensitive: true, applyTo: appliesToText(credential.applyTo), delivery: delivery(credential) });
  }
  for (const [name, parameter] of Object.entries(bundle.parameters ?? {})) {
    const definition = definitions[parameter.definition] ?? {};
    entries.push({
      kind: 'parameter',
      name,
      type: String(definition.type ?? ''),
      required: parameter.required === true,
      sensitive: definition.writeOnly === true,
      applyTo: appliesToText(parameter.applyTo),
      delivery: delivery(parameter.destination),
    });
  }
  for (const [name, output] of Object.entries(bundle.outputs ?? {})) {
    const definition = definitions[output.definition] ?? {};
    entries.push({ kind: 'output', name, type: String(definition.type ?? ''), required: '', sensitive: definition.writeOnly === true, applyTo: appliesToText(output.applyTo), delivery: '' });
  }
  // Each required bundle runs first, as installation <installation>-<alias>.
  for (const required of requiredBundles(bundle)) {
    entries.push({ kind: 'dependency', name: required.alias, type: '', required: true, sensitive: '', applyTo: 'all', delivery: `installed first as <installation>-${required.alias}: ${required.bundle}` });
  }
  for (const action of ['install', 'upgrade', 'uninstall', ...Object.keys(bundle.actions ?? {})]) {
    entries.push({ kind: 'action', name: action, type: '', required: '', sensitive: '', applyTo: '', delivery: '' });
  }
  return { name: bundle.name, version: bundle.version, description: bundle.description, images, entries };
}
