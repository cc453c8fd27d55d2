/**
 * A secret value from the fleet (`${env:NAME}` or `${file:path}`). It prints as a placeholder everywhere
 * (logs, JSON, errors); only the construct that must carry it calls `reveal()`.
 */
const REDACTED = '[secret]';

export class Secret {
  readonly #value: string;
  /** Where the value came from, e.g. `env:DB_PASSWORD`; safe to show. */
  readonly origin: string;

  constructor(value: string, origin: string) {
    this.#value = value;
    this.origin = origin;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${this.origin})`;
  }
}
