import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busybox, busyboxOnlyPath } from './run-harness.js';
import { encodeRunInput, parseManifest, renderRunScript, takesTraceContext } from '../src/index.js';

const nonce = 'fedcba9876543210fedcba9876543210';
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
let root: string;
let bin: string;
let script: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lading-run-trace-'));
  bin = busyboxOnlyPath(root);
  script = join(root, 'run');
  writeFileSync(
    script,
    renderRunScript(
      parseManifest(`name: traced
version: 1.0.0
registry: 127.0.0.1:5000/t
baseImage: 127.0.0.1:5000/lading/busybox:1.35
install:
  - exec: { command: sh, arguments: ["-c", 'echo "parent=$TRACEPARENT state=$TRACESTATE"'] }
  - exec: { command: sh, arguments: ["-c", 'echo "parent=$TRACEPARENT"; exit 5'] }
  - exec: { command: sh, arguments: ["-c", "echo never"] }
`),
    ),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function runScript(input: Buffer | string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(busybox, ['sh', script], { cwd: root, input, encoding: 'utf8', env: { PATH: bin, HOME: root, LADING_OUTPUTS_DIR: root, LADING_SECRETS_DIR: root } });
}

describe('the run script and the run trace', () => {
  it('runs each step under a span of its own, named in TRACEPARENT and announced in step frames with its exit status', () => {
    const result = runScript(encodeRunInput({ nonce, action: 'install', traceparent, tracestate: 'vendor=abc' }));
    expect(result.status).toBe(5);
    const lines = result.stdout.trim().split('\n');
    const frames = lines.filter((line) => line.startsWith(`${nonce} step `)).map((line) => line.slice(nonce.length + 1).split(' '));
    expect(frames.map(([, index, kind]) => `${index} ${kind}`)).toEqual(['1 start', '1 end', '2 start', '2 end']);
    expect(frames[1][3]).toBe('0');
    expect(frames[3][3]).toBe('5');
    const [first, second] = [frames[0][3], frames[2][3]];
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(second).not.toBe(first);
    expect(lines).toContain(`parent=00-${traceId}-${first}-01 state=vendor=abc`);
    expect(lines).toContain(`parent=00-${traceId}-${second}-01`);
    expect(result.stdout).not.toContain('never');
  });

  it('hands no TRACEPARENT and prints no step frame when the runner sends no trace', () => {
    const result = runScript(encodeRunInput({ nonce, action: 'install' }));
    expect(result.stdout).toContain('parent= state=');
    expect(result.stdout).not.toContain(`${nonce} step`);
  });

  it('refuses a trace line that is not a traceparent, with exit 64 and no step run', () => {
    for (const bad of ['00-xyz', `00-${traceId}-00f067aa0ba902b7-01; touch PWNED`, `01-${traceId}-00f067aa0ba902b7`]) {
      const result = runScript(`trace - ${bad}\nnonce - ${nonce}\naction - ${Buffer.from('install').toString('base64')}\nend\n`);
      expect(result.status).toBe(64);
      expect(result.stderr).toContain('the trace line is not a W3C traceparent');
      expect(result.stdout).not.toContain('parent=');
    }
  });

  it('marks the bundles whose run script takes the trace', () => {
    expect(takesTraceContext({ custom: { 'sh.lading': { traceContext: true } } })).toBe(true);
    expect(takesTraceContext({ custom: { 'sh.lading': {} } })).toBe(false);
    expect(takesTraceContext({})).toBe(false);
  });
});
