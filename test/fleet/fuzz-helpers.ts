/** Random mutations of fleet text for the loader's robustness properties (fast-check). */
import fc from 'fast-check';
import { loadFleetFromString } from '../../fleet/index';

type Mutation = (lines: string[]) => string[];

const ODD_SCALARS = ['-1GiB', '0', '8GB', '${env:NOPE}', '${file:/nope}', 'null', '~', '[', '{', '"', "'", '&a', '*a', '!!binary', '1e400', 'yes', '- x', '{ a: 1 }', ''];
const ODD_CHARS = [...':-{}[]"\'#&*!|>%@`, \n\t', 'a', '0', '\u00e9', '\u0000'];

const scalar = fc.oneof(fc.constantFrom(...ODD_SCALARS), fc.string({ maxLength: 12 }), fc.integer().map(String), fc.double().map(String));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at): Mutation => (lines) => lines.filter((_, i) => i !== at % lines.length)),
  fc.nat().map((at): Mutation => (lines) => lines.flatMap((line, i) => (i === at % lines.length ? [line, line] : [line]))),
  fc.tuple(fc.nat(), scalar).map(([at, value]): Mutation => (lines) =>
    lines.map((line, i) => (i === at % lines.length ? line.replace(/:\s*[^\s{[][^,}\]]*/, `: ${value}`) : line))),
  fc.tuple(fc.nat(), fc.nat(), fc.array(fc.constantFrom(...ODD_CHARS), { minLength: 1, maxLength: 6 })).map(
    ([at, column, chars]): Mutation => (lines) =>
      lines.map((line, i) => (i === at % lines.length ? line.slice(0, column % (line.length + 1)) + chars.join('') + line.slice(column % (line.length + 1)) : line)),
  ),
  fc.nat().map((at): Mutation => (lines) => {
    const text = lines.join('\n');
    return text.slice(0, at % (text.length + 1)).split('\n');
  }),
);

/** Mutated texts of `text`: one to three mutations each. */
export function mutatedTexts(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => mutations.reduce((acc, m) => (acc.length === 0 ? acc : m(acc)), lines).join('\n'));
}

/** The loader never throws and every problem it reports is located at a real line and column. */
export function assertLoaderTotal(file: string, text: string, numRuns: number): void {
  const lineCount = text.split('\n').length * 2 + 2;
  fc.assert(
    fc.property(mutatedTexts(text), (mutated) => {
      const result = loadFleetFromString(mutated, file, { env: {}, readFile: () => 'data\n' });
      if (result.ok) return true;
      // Plain checks rather than expect(): this runs thousands of times and must stay fast.
      return result.problems.length > 0 && result.problems.every((problem) =>
        problem.file === file && problem.line >= 1 && problem.column >= 1 && problem.line <= lineCount && problem.message !== '');
    }),
    { numRuns, seed: 42 },
  );
}
