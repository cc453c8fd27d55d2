/**
 * Errors a user can cause. The CLI prints their message (no stack trace) and exits 2; anything else is a
 * bug and is reported as one.
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

/** Wrong command line: unknown command or option, missing argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad input files: one line per problem, each already located (`file:line:column: path: message`). */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}
