/**
 * What a bundle prints must not drive the user's terminal: control characters could set the
 * clipboard (OSC 52), move the cursor or rewrite a line (CSI, `\r`) to fake what Lading says.
 * C0 controls other than newline and tab, DEL, C1 controls and the Unicode bidirectional
 * overrides are shown as visible escapes instead (`\x1b`, `\u202e`); a CRLF line end stays a
 * line end.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this is for
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const visible = (character: string): string => {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Text from a bundle, made safe to print on a terminal; lines and tabs are kept. */
export function neutraliseControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(controls, visible);
}

/** Text from a bundle for one table cell or status line: line breaks and tabs shown too. */
export function oneLine(text: string): string {
  return neutraliseControls(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
