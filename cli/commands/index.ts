import type { Command } from '../command';
import { checkCommand } from './check';
import { schemaCommand } from './schema';
import { synthCommand } from './synth';

/** Every `hyperplan` sub-command, in the order `hyperplan --help` lists them. */
export const commands: readonly Command[] = [
  checkCommand,
  schemaCommand,
  synthCommand,
];
