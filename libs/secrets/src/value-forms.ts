/**
 * The forms in which a value can reach a bundle's output after the run script has handled it.
 * A POSIX shell drops NUL bytes from strings and `$(…)` drops trailing newlines, leaving a CR
 * of a CRLF ending behind; a value echoed after either is still the secret, so each of these
 * forms is masked as well as the value as it was delivered.
 */
export function formsLadingProduces(value: Buffer): Buffer[] {
  const withoutNul = Buffer.from(value.filter((byte) => byte !== 0));
  const forms: Buffer[] = [];
  for (const form of [value, withoutNul]) {
    forms.push(form, withoutTrailing(form, [0x0a]), withoutTrailing(form, [0x0a, 0x0d]));
  }
  return forms.filter((form) => form.length > 0);
}

function withoutTrailing(bytes: Buffer, dropped: number[]): Buffer {
  let end = bytes.length;
  while (end > 0 && dropped.includes(bytes[end - 1])) end -= 1;
  return bytes.subarray(0, end);
}
