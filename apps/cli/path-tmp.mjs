import { build } from 'esbuild';
const r = await build({ absWorkingDir: process.cwd(), entryPoints: { main: 'src/main.ts' }, outdir: 'dist-tmp', bundle: true, platform: 'node', format: 'esm', splitting: true, conditions: ['@lading/source'], external: ['cpu-features', '*.node'], metafile: true, write: false, logLevel: 'error' });
const ins = r.metafile.inputs;
const [from, to] = process.argv.slice(2);
const start = Object.keys(ins).find((n) => n.endsWith(from));
const prev = new Map([[start, null]]); const q = [start];
while (q.length) { const n = q.shift(); if (n.includes(to)) { const p=[]; for (let c=n;c;c=prev.get(c)) p.unshift(c); console.log(p.join('\n  -> ')); break; }
  for (const i of ins[n].imports) if (i.kind !== 'dynamic-import' && ins[i.path] && !prev.has(i.path)) { prev.set(i.path, n); q.push(i.path); } }
