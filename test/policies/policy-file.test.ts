import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../policies/engine';
import { plan } from '../../planner/index';
import { loadCustomRules } from '../../pipeline/load-custom-rules';
import { loadPolicy, loadPolicyFor } from '../../pipeline/load-policy';
import { parsePolicyFile } from '../../policies/policy-file';
import { disk, fleet, kvmHost, pinned, vm } from './fixtures';

const FIXTURES = fileURLToPath(new URL('../fixtures/policies/', import.meta.url));

describe('parsePolicyFile', () => {
  // DESIGN.md: "a policy file (`hyperplan.policy.yaml`) enables packs, changes severities and holds suppressions,
  // each with a mandatory `reason` (and optional target and expiry)".
  it('takes packs as a list (exactly those built-in packs on) and a suppression date as expiry', () => {
    const text = [
      'packs: [kvm, placement]',
      'suppressions:',
      '  - { rule: KVM-HOST-RESERVE, target: "hosts[kvm-a1]", reason: "lab host, nothing else runs there", expiry: 2099-01-01 }',
      '',
    ].join('\n');
    const result = parsePolicyFile(text, 'hyperplan.policy.yaml');
    expect(result.ok ? result.policy.config : result.problems).toMatchObject({
      packs: { xen: false, kvm: true, hybrid: false, migration: false, placement: true, security: false },
      suppressions: [{ rule: 'KVM-HOST-RESERVE', target: 'hosts[kvm-a1]', reason: 'lab host, nothing else runs there', expires: '2099-01-01' }],
    });
  });

  it('an expired suppression written with expiry is a finding, as with expires', () => {
    const text = 'suppressions:\n  - { rule: KVM-RNG-MISSING, reason: guests boot from a read-only image, expiry: 2020-01-01 }\n';
    const result = parsePolicyFile(text, 'p.yaml');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const empty = fleet({ hosts: [kvmHost('kvm-1')], vms: [] });
    const findings = evaluatePolicies(empty, plan(empty), { ...result.policy.config, today: '2026-11-30' });
    expect(findings.map((f) => `${f.ruleId} ${f.target}`)).toContain('HP-SUPPRESSION-EXPIRED suppressions[0]');
  });

  it.each([
    ['packs: [kvm, nope]\n', "p.yaml:1:14: packs[1]: expected one of xen, kvm, hybrid, migration, placement, security, custom, got 'nope'"],
    ['packs: 3\n', 'p.yaml:1:8: packs: expected a list of packs or a mapping of pack: true|false; packs are xen, kvm, hybrid, migration, placement, security, custom'],
    ['suppressions:\n  - { rule: X-Y, reason: a long enough reason here, expiry: 2099-01-01, expires: 2099-01-01 }\n', 'p.yaml:2:61: suppressions[0].expiry: give expires or expiry, not both'],
  ])('rejects %j with one located problem', (text, problem) => {
    const result = parsePolicyFile(text, 'p.yaml');
    expect(result.ok ? [] : result.problems).toEqual([problem]);
  });

  it('reads packs, rules, thresholds, suppressions and custom rule paths', () => {
    const text = [
      'packs: { hybrid: false }',
      'rules:',
      '  KVM-RNG-MISSING: { enabled: false }',
      '  XEN-GUEST-PV: { severity: error }',
      'thresholds: { maxCpuOvercommit: 8, maxDom0Fraction: 0.2 }',
      'suppressions:',
      '  - rule: KVM-MACHINE-LEGACY',
      '    target: vms[legacy-*]',
      '    reason: imported guests keep i440fx until rebuilt',
      '    expires: 2026-12-31',
      'customRules: [./rules/no-ide.ts]',
      '',
    ].join('\n');
    const result = parsePolicyFile(text, 'hyperplan.policy.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.config).toMatchObject({
      packs: { hybrid: false },
      rules: { 'KVM-RNG-MISSING': { enabled: false }, 'XEN-GUEST-PV': { severity: 'error' } },
      thresholds: { maxCpuOvercommit: 8, maxDom0Fraction: 0.2 },
      suppressions: [{ rule: 'KVM-MACHINE-LEGACY', target: 'vms[legacy-*]', reason: 'imported guests keep i440fx until rebuilt', expires: '2026-12-31' }],
    });
    expect(result.policy.customRules).toEqual(['./rules/no-ide.ts']);
    expect(result.policy.config.locations?.['suppressions[0]']).toEqual({ file: 'hyperplan.policy.yaml', line: 7, column: 5 });
    expect(result.policy.config.locations?.['rules[XEN-GUEST-PV]']?.line).toBe(4);
  });

  it('accepts an empty file', () => {
    expect(parsePolicyFile('', 'p.yaml')).toEqual({ ok: true, policy: { file: 'p.yaml', config: {}, customRules: [] } });
  });

  it('reports every problem as file:line:column: path: message', () => {
    const text = [
      'packs: { xen: maybe, windows: true }',
      'thresholds: { maxCpuOvercommit: -1 }',
      'suppressions:',
      '  - rule: KVM-MACHINE-LEGACY',
      '    reason: short',
      '    expires: next week',
      'colour: blue',
      '',
    ].join('\n');
    const result = parsePolicyFile(text, 'p.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'p.yaml:1:15: packs.xen: expected true or false, got \'maybe\'',
      'p.yaml:1:22: packs.windows: unknown key \'windows\'',
      'p.yaml:2:33: thresholds.maxCpuOvercommit: must be greater than 0, got -1',
      'p.yaml:5:13: suppressions[0].reason: must say why the finding is acceptable in at least 10 characters',
      'p.yaml:6:14: suppressions[0].expires: expected a date as YYYY-MM-DD',
      'p.yaml:7:1: colour: unknown key \'colour\'',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const result = parsePolicyFile('packs: { xen: true\n', 'p.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/^p\.yaml:\d+:\d+: /);
  });
});

describe('custom rules', () => {
  const f = fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', disks: [disk({ bus: 'ide' })] })] });

  it('loads a TypeScript rule relative to the policy file and runs it like a built-in', async () => {
    const loaded = await loadPolicy(`${FIXTURES}custom.policy.yaml`, { today: '2026-01-01' });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.config.customRules?.map((r) => r.id)).toEqual(['ACME-NO-IDE']);
    expect(loaded.config.today).toBe('2026-01-01');
    const findings = evaluatePolicies(f, pinned(f), loaded.config);
    expect(findings.find((x) => x.ruleId === 'ACME-NO-IDE')).toMatchObject({ severity: 'error', target: 'vms[v].disks[0]' });
    expect(evaluatePolicies(f, pinned(f), { ...loaded.config, packs: { custom: false } }).map((x) => x.ruleId)).not.toContain('ACME-NO-IDE');
  });

  it('rejects a module whose rule lacks metadata, located at its customRules entry', async () => {
    const loaded = await loadPolicy(`${FIXTURES}broken.policy.yaml`);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems[0]).toMatch(/broken\.policy\.yaml:2:5: customRules\[0\]: \.\/broken-rule\.ts: id must be/);
    expect(loaded.problems.join('\n')).toContain('severity must be error, warning or info');
    expect(loaded.problems.join('\n')).toContain('summary must be a non-empty string');
  });

  it('reports a module that cannot be imported, and a missing policy file', async () => {
    const missing = await loadCustomRules(['./missing.ts'], FIXTURES, 'p.yaml', { 'customRules[0]': { file: 'p.yaml', line: 1, column: 15 } });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems[0]).toMatch(/^p\.yaml:1:15: customRules\[0\]: cannot load custom rule module \.\/missing\.ts/);
    const loaded = await loadPolicyFor(`${FIXTURES}fleet.yaml`, `${FIXTURES}does-not-exist.yaml`);
    expect(loaded).toEqual({ ok: false, problems: [`${FIXTURES}does-not-exist.yaml:1:1: cannot read the policy file (ENOENT)`] });
  });

  it('uses defaults when no policy file sits beside the fleet', async () => {
    expect(await loadPolicyFor(`${FIXTURES}none/fleet.yaml`, undefined, { today: '2026-01-01' })).toEqual({ ok: true, config: { today: '2026-01-01' } });
  });
});
