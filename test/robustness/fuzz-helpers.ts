/**
 * Shared checks of the robustness fuzz tests. Plain throws rather than expect(): they run thousands of
 * times per test and must stay cheap; fast-check reports the failing input with the message.
 */

/**
 * Texts a loader's catch-all puts into a problem when something inside it threw: such a problem is a
 * crash turned into a message, which the fuzz must still count as a bug.
 */
export const CRASH_MARKERS = ['cannot load the fleet:', 'internal:', 'TypeError', 'RangeError', 'is not a function', 'Cannot read properties'] as const;

export interface LocatedProblem {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

function fail(message: string): never {
  throw new Error(message);
}

/** Every problem names the file, a 1-based position inside the text, says something and is no crash. */
export function assertLocated(problems: readonly LocatedProblem[], text: string, file: string): void {
  if (problems.length === 0) fail('failed without a problem');
  const lines = text.split('\n').length;
  for (const p of problems) {
    if (p.file !== file) fail(`problem names file ${p.file}, expected ${file}`);
    if (!Number.isInteger(p.line) || p.line < 1 || p.line > lines + 1) fail(`line ${p.line} outside 1..${lines + 1}: ${p.message}`);
    if (!Number.isInteger(p.column) || (p.column ?? 0) < 1) fail(`column ${String(p.column)} is not ≥ 1: ${p.message}`);
    if (p.message.trim() === '') fail('empty problem message');
    const crash = CRASH_MARKERS.find((marker) => p.message.includes(marker));
    if (crash !== undefined) fail(`a crash reported as a problem (${crash}): ${p.message}`);
  }
}

const FORMATTED = /^(.*?):(\d+):(\d+): (.+)$/s;

/** Reads `file:line:column: message` lines (the policy loader's problem format) back into problems. */
export function parseFormatted(problems: readonly string[]): LocatedProblem[] {
  return problems.map((text) => {
    const match = FORMATTED.exec(text);
    if (!match) fail(`problem without file:line:column: ${text}`);
    return { file: match[1]!, line: Number(match[2]), column: Number(match[3]), message: match[4]! };
  });
}

export interface Mutation {
  readonly kind: 'delete' | 'insert' | 'duplicate' | 'truncate';
  readonly at: number;
  readonly length: number;
  readonly noise: string;
}

/** One character-level edit of `text`. */
export function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.noise + text.slice(at);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
    case 'truncate':
      return text.slice(0, at);
  }
}
