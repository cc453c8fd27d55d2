import type { Command } from '../command';
import { checkCommand } from './check';
import { drainCommand } from './drain';
import { explainCommand } from './explain';
import { planCommand } from './plan';
import { reviewCommand } from './review';
import { schemaCommand } from './schema';
import { synthCommand } from './synth';

/** Every `hyperplan` sub-command, in the order `hyperplan --help` lists them. */
export const commands: readonly Command[] = [
  planCommand,
  checkCommand,
  explainCommand,
  drainCommand,
  schemaCommand,
  synthCommand,
  reviewCommand,
];
