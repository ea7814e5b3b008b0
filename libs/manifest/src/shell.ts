import { ownValue } from '@lading/contracts';
import type { Manifest, TemplatedString } from './types.js';

/** One shell word holding `text` literally, whatever characters it has. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The variable a file-delivered value is read into before the step that uses it (see
 * fileValueReads): named by the value's position, since its name may hold a "-".
 */
export function fileValueVariable(name: string, manifest: Manifest): string {
  const index = [...manifest.credentials, ...manifest.parameters].findIndex((declared) => declared.name === name);
  return `lading_file_value_${index}`;
}

/**
 * The variable a field of an object parameter is read into before the step that uses it: named
 * by the parameter and the field's keys in hexadecimal, since a key may hold any character.
 */
export function fieldVariable(name: string, field: string[]): string {
  return `lading_field_${Buffer.from([name, ...field].join('\0'), 'utf8').toString('hex')}`;
}

/** The run script variable holding an image's reference (`repo@sha256:…`), relocated when the run has a mapping. */
export function imageVariable(name: string, manifest: Manifest): string {
  return `lading_image_${Object.keys(manifest.images).indexOf(name)}`;
}

/**
 * One shell word for a templated string. References expand at run time from the variable or file
 * the value was delivered to; their text is never parsed by the shell again.
 */
export function shellWord(parts: TemplatedString, manifest: Manifest): string {
  const pieces = parts.map((part) => {
    if (part.kind === 'text') return part.text === '' ? '' : shellQuote(part.text);
    if (part.kind === 'installation-name') return '"$CNAB_INSTALLATION_NAME"';
    if (part.kind === 'dependency') {
      const resolved = manifest.dependencies?.find((d) => d.name === part.dependency)?.resolved;
      if (resolved === undefined) throw new Error(`Dependency "${part.dependency}" was not read from its registry; resolve the dependencies before rendering the run script.`);
      return shellQuote(resolved[part.field] ?? '');
    }
    // Command substitution drops trailing newlines, as Porter trims an output it templates.
    if (part.kind === 'output') return `"$(cat "$LADING_OUTPUTS_DIR/"${shellQuote(part.name)} 2>/dev/null)"`;
    if (part.kind === 'image') {
      const image = ownValue(manifest.images, part.name);
      // The tag and description are the manifest's own; only the reference moves with relocation.
      if (part.field === 'tag') return image?.tag === undefined ? "''" : shellQuote(image.tag);
      if (part.field === 'description') return image?.description === undefined ? "''" : shellQuote(image.description);
      const variable = imageVariable(part.name, manifest);
      return part.field === 'repository' ? `"\${${variable}%@*}"` : `"\${${variable}#*@}"`;
    }
    if (part.kind === 'parameter' && part.field !== undefined) return `"$${fieldVariable(part.name, part.field)}"`;
    const declared =
      part.kind === 'parameter'
        ? manifest.parameters.find((p) => p.name === part.name)
        : manifest.credentials.find((c) => c.name === part.name);
    if (declared === undefined) throw new Error(`The manifest refers to undeclared ${part.kind} "${part.name}"; parse it with parseManifest first.`);
    if (part.asPath === true && declared.path !== undefined) return shellQuote(declared.path);
    if (declared.env !== undefined) return `"$${declared.env}"`;
    return `"$${fileValueVariable(declared.name, manifest)}"`;
  });
  const word = pieces.join('');
  return word === '' ? "''" : word;
}
