import type { Command } from '../command';
import { checkCommand } from './check';
import { drainCommand } from './drain';
import { explainCommand } from './explain';
import { importCommand } from './import';
import { maintenanceCommand } from './maintenance';
import { planCommand } from './plan';
import { reconcileCommand } from './reconcile';
import { reviewCommand } from './review';
import { rulesCommand } from './rules';
import { schemaCommand } from './schema';
import { simulateCommand } from './simulate';
import { synthCommand } from './synth';
import { xmlCommand } from './xml';

/** Every `hyperplan` sub-command, in the order `hyperplan --help` lists them. */
export const commands: readonly Command[] = [
  synthCommand,
  planCommand,
  checkCommand,
  explainCommand,
  drainCommand,
  simulateCommand,
  maintenanceCommand,
  reconcileCommand,
  reviewCommand,
  xmlCommand,
  importCommand,
  schemaCommand,
  rulesCommand,
];
