/**
 * `${env:NAME}` and `${file:path}` references: resolved at load into `Secret`s, allowed only where a
 * secret belongs so that a password cannot end up in a URI or a label by accident. Messages name the
 * variable or file, never a value.
 */
import { OutsideRepositoryError } from './confine';
import { Secret } from './secret';
import type { DataVisitor } from './data-walk';
import type { PathProblem } from './problems';
import { isSecretPath } from './schema-issues';

/** Anything shaped like a reference, so a typo in the source (`${evn:X}`) is reported, not used as text. */
const REFERENCE_SHAPE = /^\$\{([A-Za-z]+):(.*)\}$/s;

export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Reads a file given relative to the fleet file; throws like `fs.readFileSync`, or `OutsideRepositoryError`
   * for a path outside the fleet's repository.
   */
  readonly readRelative: (path: string) => string;
}

export type Resolution = { readonly ok: true; readonly secret: Secret } | { readonly ok: false; readonly message: string };

export function looksLikeSecretReference(value: string): boolean {
  return REFERENCE_SHAPE.test(value);
}

/** Resolves a secret field: a reference to its value, plain text to an `inline` secret. */
export function resolveSecret(value: string, sources: SecretSources): Resolution {
  const match = REFERENCE_SHAPE.exec(value);
  if (!match) return { ok: true, secret: new Secret(value, 'inline') };
  const [, kind = '', target = ''] = match;
  if (target === '') return { ok: false, message: `secret reference \${${kind}:} names nothing` };
  if (kind === 'env') {
    const resolved = sources.env[target];
    return resolved === undefined
      ? { ok: false, message: `environment variable ${target} is not set` }
      : { ok: true, secret: new Secret(resolved, `env:${target}`) };
  }
  if (kind === 'file') {
    try {
      // Secret files usually end with a newline that is not part of the secret.
      const content = sources.readRelative(target).replace(/\r?\n$/, '');
      return { ok: true, secret: new Secret(content, `file:${target}`) };
    } catch (error) {
      return { ok: false, message: readProblem('secret file', target, error) };
    }
  }
  return { ok: false, message: `unknown secret source '${kind}'; use \${env:NAME} or \${file:path}` };
}

/** Why a file the fleet names could not be read: its path and an error code, never its content. */
export function readProblem(what: string, path: string, error: unknown): string {
  if (error instanceof OutsideRepositoryError) return `${what} ${error.message}`;
  return `cannot read ${what} '${path}' (${errorCode(error)})`;
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}

/** Problems for references placed outside secret fields, found in the shared walk over the parsed data. */
export function misplacedSecretReferences(problems: PathProblem[]): DataVisitor {
  return {
    string(value, path) {
      // `startsWith` first: a regex call per string of the file costs more than the rare reference.
      if (value.startsWith('${') && looksLikeSecretReference(value) && !isSecretPath(path)) {
        problems.push({
          path: [...path],
          message: 'secret references are only allowed in cloudInit.password, graphics.password and stack backend settings',
        });
      }
    },
    number() {},
    key() {},
  };
}
