#!/usr/bin/env node
// Entry point: registers the TypeScript loader (transpile only, no type check) and runs the CLI.
import { register } from 'tsx/esm/api';

process.env.CHECKPOINT_DISABLE ??= '1';
register();
const { run, processIo } = await import('../cli/main.ts');
process.exitCode = await run(process.argv.slice(2), processIo());
