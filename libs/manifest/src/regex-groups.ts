/** How many capture groups a POSIX extended regular expression has: each `(` outside a bracket expression and not escaped. */
export function countCaptureGroups(pattern: string): number {
  let groups = 0;
  let inBracket = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === '\\') {
      i += 1;
    } else if (inBracket) {
      if (char === ']' && pattern[i - 1] !== '[' && !(pattern[i - 1] === '^' && pattern[i - 2] === '[')) inBracket = false;
    } else if (char === '[') {
      inBracket = true;
    } else if (char === '(') {
      groups += 1;
    }
  }
  return groups;
}
