/**
 * Bad props of a library construct: every problem as `<construct path>: <field path>: message` (or
 * `file:line:column: path: message` for a fleet file). Its `stack` is the message alone, so an app that
 * lets it escape prints the located problems, not a stack trace of hyperplan's internals.
 */
export class FleetPropsError extends Error {
  override readonly name = 'FleetPropsError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid fleet (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
    this.stack = `${this.name}: ${this.message}`;
  }
}
