import { appliesToText } from '@lading/cnab';
import type { Row } from './output.js';

type Entry = Record<string, unknown>;
const entriesOf = (value: unknown) => Object.entries((value ?? {}) as Record<string, Entry>);

/** Rows describing a bundle's images and its credentials, parameters, outputs and actions. */
export function describeBundle(bundle: Record<string, unknown>) {
  const definitions = (bundle.definitions ?? {}) as Record<string, Entry>;
  const images: Row[] = [];
  for (const image of (bundle.invocationImages ?? []) as Entry[]) {
    images.push({ kind: 'invocation', name: '', image: String(image.image), digest: String(image.contentDigest ?? '') });
  }
  for (const [name, image] of entriesOf(bundle.images)) {
    images.push({ kind: 'image', name, image: String(image.image), digest: String(image.contentDigest ?? '') });
  }
  const delivery = (target: Entry | undefined) =>
    [target?.env ? `env ${String(target.env)}` : '', target?.path ? `file ${String(target.path)}` : ''].filter(Boolean).join(', ');
  const applyTo = (entry: Entry) => appliesToText(entry.applyTo as string[] | undefined);
  const entries: Row[] = [];
  for (const [name, credential] of entriesOf(bundle.credentials)) {
    entries.push({ kind: 'credential', name, type: '', required: credential.required === true, sensitive: true, applyTo: applyTo(credential), delivery: delivery(credential) });
  }
  for (const [name, parameter] of entriesOf(bundle.parameters)) {
    const definition = definitions[String(parameter.definition)] ?? {};
    entries.push({
      kind: 'parameter',
      name,
      type: String(definition.type ?? ''),
      required: parameter.required === true,
      sensitive: definition.writeOnly === true,
      applyTo: applyTo(parameter),
      delivery: delivery(parameter.destination as Entry | undefined),
    });
  }
  for (const [name, output] of entriesOf(bundle.outputs)) {
    const definition = definitions[String(output.definition)] ?? {};
    entries.push({ kind: 'output', name, type: String(definition.type ?? ''), required: '', sensitive: definition.writeOnly === true, applyTo: applyTo(output), delivery: '' });
  }
  for (const action of ['install', 'upgrade', 'uninstall', ...Object.keys((bundle.actions ?? {}) as Entry)]) {
    entries.push({ kind: 'action', name: action, type: '', required: '', sensitive: '', applyTo: '', delivery: '' });
  }
  return { name: bundle.name, version: bundle.version, description: bundle.description, images, entries };
}
