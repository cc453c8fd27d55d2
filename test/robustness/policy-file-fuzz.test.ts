/**
 * Fuzz of the policy file loader (`parsePolicyFile`): structure-aware policy files walked from its zod
 * schema (packs, rule settings, thresholds, suppressions with globs and dates) and character mutations
 * of a complete policy file. The loader must never throw, every problem must be `file:line:column:`
 * with a position inside the file, and a policy that parses must run through the engine (suppression
 * globs, thresholds, expiry) against a real fleet without an exception.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFleetFromString } from '../../fleet/index';
import { plan } from '../../planner/plan';
import { evaluatePolicies } from '../../policies/index';
import { parsePolicyFile, policyFileSchema } from '../../policies/policy-file';
import { CUSTOM_PACK, PACK_NAMES } from '../../policies/rule';
import { assertLocated, mutate, parseFormatted, type Mutation } from './fuzz-helpers';
import { asText, schemaArbitrary } from './schema-arbitrary';
import { fuzzRuns } from '../support/fuzz-runs';

const STRUCTURED_RUNS = fuzzRuns();
const MUTATED_RUNS = fuzzRuns();
const FILE = '/fuzz/hyperplan.policy.yaml';

const RULE_IDS = ['XEN-DOM0-MEM-LOW', 'KVM-HOST-RESERVE', 'PLC-UNPLACED', 'XEN-*', '*', 'KVM-?', 'lower-case', 'NO-SUCH-RULE', '[', ''];
const TARGETS = ['vms[web-*]', 'hosts[*]', 'vms[*].disks[0]', '*', '**', '[', 'vms[', '?', 'migrationPools[kvm-pool-a]'];
const DATES = ['2099-12-31', '2020-01-01', '2024-02-30', '2024-13-01', '1-1-1', 'tomorrow', '2025-06-15T00:00:00Z'];
const REASONS = ['ok', 'accepted by the security team until the hardware refresh', ' '.repeat(12), 'x'.repeat(10), '短い理由ですがこれで十分な長さ'];

function stringFor(key: string): fc.Arbitrary<unknown> {
  if (key === 'rule') return fc.constantFrom(...RULE_IDS);
  if (key === 'target') return fc.constantFrom(...TARGETS);
  if (key === 'expires') return fc.constantFrom(...DATES);
  if (key === 'reason') return fc.oneof(fc.constantFrom(...REASONS), fc.string({ maxLength: 30 }));
  if (key === 'customRules') return fc.constantFrom('./rules/no-ide.ts', '../outside.ts', '', '/abs/rule.mjs');
  return fc.string({ maxLength: 10 });
}

const policyText = asText(
  schemaArbitrary(policyFileSchema, {
    stringFor,
    recordKeys: RULE_IDS,
    unknownKeys: ['pack', 'suppresions', 'severity'],
  }),
);

/** A complete policy file: every section, the seed of the mutations. */
const FULL_POLICY = [
  `packs: { ${[...PACK_NAMES, CUSTOM_PACK].map((p, i) => `${p}: ${i % 2 === 0}`).join(', ')} }`,
  'rules:',
  '  KVM-HOST-RESERVE: { enabled: true, severity: error }',
  '  XEN-DOM0-MEM-LOW: { severity: info }',
  'thresholds: { maxCpuOvercommit: 8, maxMemoryOvercommit: 1.5, maxDom0Fraction: 0.2, maxPoolMemorySkew: 2, hostReserveBaseMiB: 4096, hostReservePerVmMiB: 512 }',
  'suppressions:',
  '  - rule: XEN-*',
  '    target: hosts[xen-*]',
  '    reason: Dom0 sizing is reviewed with the platform team each quarter',
  '    expires: 2099-12-31',
  '  - { rule: PLC-ANTI-AFFINITY-ZONE, reason: "single rack lab, accepted" }',
  'customRules: [./rules/no-ide.ts]',
  '',
].join('\n');

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 30 }),
  noise: fc.array(fc.constantFrom(':', '-', '{', '}', '[', ']', '"', "'", '#', '&a', '*a', '!!', '\t', '\n', ' ', 'x', '1', '\u0000'), { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
});
const mutatedPolicy = fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ms.reduce(mutate, FULL_POLICY));

/** A real fleet and its plan, for running parsed policies through the engine. */
function exampleFleet(): { fleet: Parameters<typeof evaluatePolicies>[0]; placement: Parameters<typeof evaluatePolicies>[1] } {
  const file = 'examples/hybrid/fleet.yaml';
  // Cloud-init files must be cloud-config (keys are merged into them); anything else read is a secret.
  const loaded = loadFleetFromString(readFileSync(file, 'utf8'), file, { env: {}, readFile: (path) => (path.endsWith('.yaml') ? '#cloud-config\n' : 'secret\n') });
  if (!loaded.ok) throw new Error(`${file} does not load: ${loaded.problems[0]?.message}`);
  return { fleet: loaded.fleet, placement: plan(loaded.fleet) };
}

describe('policy file loader fuzz', () => {
  const { fleet, placement } = exampleFleet();

  const property = (text: string): number => {
    const result = parsePolicyFile(text, FILE);
    if (!result.ok) {
      assertLocated(parseFormatted(result.problems), text, FILE);
      return 0;
    }
    evaluatePolicies(fleet, placement, { ...result.policy.config, today: '2025-06-15' });
    return 1;
  };

  it(`survives ${STRUCTURED_RUNS} structure-aware policy files; problems located; parsed ones evaluate`, () => {
    let parsed = 0;
    fc.assert(
      fc.property(policyText, (text) => {
        parsed += property(text);
      }),
      { seed: 7, numRuns: STRUCTURED_RUNS },
    );
    expect(parsed).toBeGreaterThan(0);
  });

  it(`survives ${MUTATED_RUNS} mutations of a complete policy file`, () => {
    expect(parsePolicyFile(FULL_POLICY, FILE).ok).toBe(true);
    fc.assert(
      fc.property(mutatedPolicy, (text) => {
        property(text);
      }),
      { seed: 8, numRuns: MUTATED_RUNS },
    );
  });
});
