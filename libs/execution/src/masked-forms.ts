/** Shorter base64 fragments would mask ordinary text; the value itself is masked whatever its length. */
const minimumFragmentLength = 8;

/**
 * The values to mask plus, for each, the part of its base64 encoding that does not depend on
 * what surrounds it. The redactor masks a value's own base64, but a bundle that encodes the
 * value with text before it or a newline after it (`echo "$TOKEN" | base64`) changes the
 * encoding's edges; the interior at each of the three byte alignments stays the same.
 */
export function maskedForms(values: readonly string[]): string[] {
  const forms = new Set(values);
  for (const value of values) {
    const bytes = Buffer.from(value, 'utf8');
    for (const offset of [0, 1, 2]) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      // Base64 characters carry 6 bits each: keep those made of the value's bits only.
      const fragment = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
      if (fragment.length >= minimumFragmentLength) forms.add(fragment);
    }
  }
  return [...forms];
}
