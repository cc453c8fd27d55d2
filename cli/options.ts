/** Reading option values the same way in every command: one message per kind of mistake. */
import { UsageError } from '../io/errors';

/** A string option, or undefined when absent; an empty value is a usage error. */
export function stringOption(command: string, value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`${command}: --${name} needs a value`);
  return value;
}

/** One of `allowed`, `fallback` when absent. */
export function choiceOption<T extends string>(command: string, value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  const chosen = value ?? fallback;
  if (!allowed.includes(chosen as T)) throw new UsageError(`${command}: --${name} must be one of ${allowed.join(', ')}, got '${String(chosen)}'`);
  return chosen as T;
}
