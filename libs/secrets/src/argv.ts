/**
 * Splits a command line into an argument vector the way a user expects from a shell, without
 * a shell: whitespace separates words, '…' is literal, "…" is literal except \" and \\, a
 * backslash outside quotes escapes the next character. Nothing is expanded: no $VAR, no globs,
 * no ;, |, && or redirections, which all stay literal characters of some argument.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('the command has an unterminated single quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      for (;;) {
        if (i >= line.length) throw new Error('the command has an unterminated double quote');
        const c = line[i] as string;
        if (c === '"') break;
        if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          word += line[i + 1];
          i += 2;
        } else {
          word += c;
          i += 1;
        }
      }
      inWord = true;
      i += 1;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) throw new Error('the command ends with a lone backslash');
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else {
      word += ch;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new Error('the command is empty');
  return words;
}
