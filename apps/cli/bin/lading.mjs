#!/usr/bin/env node
// The `lading` command. Lading runs from its TypeScript sources through tsx, so there is no
// build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
