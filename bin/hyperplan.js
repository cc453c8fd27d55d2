#!/usr/bin/env node
// Entry point. In the installed package it runs the compiled CLI (dist/); in a checkout of the repository,
// where the TypeScript sources sit beside this file, it runs them through tsx (transpile only, no type
// check), so a change needs no build step.
import { existsSync } from 'node:fs';

process.env.CHECKPOINT_DISABLE ??= '1';
const source = new URL('../cli/main.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import('../dist/cli/main.js');
}
process.exitCode = await cli.run(process.argv.slice(2), cli.processIo());
