import { describe, expect, it } from 'vitest';
import { claimStatuses, installationStatusSchema, runStatuses } from '../src/internal.js';
import { productionSources } from './production-sources.js';

// The CNAB documents travel typed (libs/contracts/src/cnab) and run statuses have one home. A
// double cast is how a document lost its type at a seam, and a status spelled as a literal is how
// two services came to disagree on what a finished run is; this walk names any file that does either.
const statusHomes = ['libs/contracts/src/messages/runs.ts', 'libs/contracts/src/messages/installations.ts', 'libs/contracts/src/cnab/documents.ts'];
const statusWords = [...new Set([...runStatuses, ...claimStatuses, ...installationStatusSchema.options])].join('|');
// A status literal next to the word status: `status === 'failed'`, `status: 'running'`, `RunStatus[] = ['succeeded'`.
const statusLiteral = new RegExp(`status(es)?\\b[^;\\n]{0,40}'(${statusWords})'`, 'i');
const doubleCast = /\bas unknown as\b/;

function offences(): string[] {
  const found: string[] = [];
  for (const { where, text } of productionSources()) {
    text.split('\n').forEach((line, index) => {
      if (doubleCast.test(line)) found.push(`${where}:${index + 1} casts through unknown`);
      if (!statusHomes.includes(where) && statusLiteral.test(line)) found.push(`${where}:${index + 1} spells a status literal: use runStatus, claimStatus or installationStatus`);
    });
  }
  return found;
}

describe('typed CNAB documents and statuses', () => {
  it('have no double casts and no status literals outside their home in production code', () => {
    expect(offences()).toEqual([]);
  });

  it('would be caught by the walk', () => {
    expect(doubleCast.test('const bundle = pulled as unknown as Bundle;')).toBe(true);
    for (const line of ["if (run.status === 'succeeded') return;", "await save({ status: 'failed' });", "const installed: InstallationStatus = 'installed';", "const terminal: RunStatus[] = ['succeeded', 'failed'];"]) {
      expect(statusLiteral.test(line), line).toBe(true);
    }
    expect(statusLiteral.test('if (run.status === runStatus.succeeded) return;')).toBe(false);
  });
});
