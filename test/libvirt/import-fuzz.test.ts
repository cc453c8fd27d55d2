import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importDomains } from '../../libvirt/import';
import { CORPUS, HAVE_CORPUS } from './tools';
import { fuzzRuns } from '../support/fuzz-runs';

const FIXTURES = join(__dirname, '../fixtures/libvirt');
const seeds: string[] = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(FIXTURES, f), 'utf8')),
  ...(HAVE_CORPUS ? ['kvm', 'xen'].flatMap((d) => readdirSync(join(CORPUS, d)).sort().map((f) => readFileSync(join(CORPUS, d, f), 'utf8'))) : []),
];

/** Characters that matter to an XML reader, plus ordinary text. */
const NOISE = fc.constantFrom('<', '>', '/', "'", '"', '=', '&', ';', '!', '?', '-', ' ', '\n', 'a', '1', ']]>', '<![CDATA[', '<!--', '&amp;', '&#x0;', '\u0000', 'é');

type Mutation = { kind: 'delete' | 'insert' | 'duplicate' | 'truncate'; at: number; length: number; noise: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 40 }),
  noise: fc.array(NOISE, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
});

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  switch (m.kind) {
    case 'delete': return text.slice(0, at) + text.slice(at + m.length);
    case 'insert': return text.slice(0, at) + m.noise + text.slice(at);
    case 'duplicate': return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
    case 'truncate': return text.slice(0, at);
  }
}

describe('importer fuzz', () => {
  it('never throws on 2,000 mutated domain files, and locates every error', () => {
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, mutations) => {
        const text = mutations.reduce(mutate, seeds[seed]!);
        const result = importDomains([{ file: 'fuzz.xml', text }]);
        const lines = text.split('\n').length;
        for (const d of [...result.failures, ...result.notes]) {
          expect(d.file).toBe('fuzz.xml');
          expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines + 1).toBe(true);
          expect(d.message.length).toBeGreaterThan(0);
        }
        if ((result.fleet.vms ?? []).length === 0) expect(result.failures.length).toBeGreaterThan(0);
      }),
      { numRuns: fuzzRuns(), seed: 20251125 },
    );
  });
});
