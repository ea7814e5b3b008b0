import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeRunInput, parseManifest, renderRunScript } from '../src/index.js';

// Debian's /bin/sh is dash, which has no pipefail: the run script must still fail a failing step
// whose output it captures through tee.
const root = mkdtempSync(join(tmpdir(), 'lading-run-shells-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const manifest = parseManifest(`name: shells
version: 1.0.0
registry: r.io
outputs: [{ name: value }]
install:
  - exec: { command: sh, arguments: ["-c", "echo value=42; exit 3"], outputs: [{ name: value, regex: "value=[0-9]+" }] }
`);

describe.runIf(existsSync('/usr/bin/dash') && existsSync('/usr/bin/bash'))('the run script under dash', () => {
  it('hands itself to bash and fails the run with the failing step\'s status', () => {
    const script = join(root, 'run');
    writeFileSync(script, renderRunScript(manifest));
    const result = spawnSync('/usr/bin/dash', [script], {
      cwd: root,
      input: encodeRunInput({ nonce: 'ab12'.repeat(4), action: 'install' }),
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', LADING_OUTPUTS_DIR: root, LADING_SECRETS_DIR: root },
    });
    expect(result.stderr).not.toContain('pipefail');
    expect(result.stdout).toContain('value=42');
    expect(result.status).toBe(3);
  });
});
