import type { Command } from '../command';

/** Every `hyperplan` sub-command, in the order `hyperplan --help` lists them. */
export const commands: readonly Command[] = [
];
