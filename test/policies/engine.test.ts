import { describe, expect, it } from 'vitest';
import { evaluatePolicies, evaluatePoliciesDetailed } from '../../policies/engine';
import type { Rule } from '../../policies/rule';
import { disk, fleet, kvmHost, migrationPool, pinned, vm, xenHost } from './fixtures';

const GiB = 1024;

/** A fleet every built-in rule accepts. */
function clean() {
  return fleet({
    hosts: [kvmHost('k1'), kvmHost('k2'), xenHost('x1')],
    migrationPools: [migrationPool('p', ['k1', 'k2'])],
    vms: [
      vm('web-1', { host: 'k1', migrationPool: 'p', disks: [disk({ pool: 'nfs-images' })] }),
      vm('web-2', { host: 'k2', migrationPool: 'p', disks: [disk({ pool: 'nfs-images' })] }),
      // A Dom0-held kernel: the verified boot a PVH guest can have (it has no firmware for Secure Boot).
      vm('vault', { host: 'x1', guestType: 'pvh', securityClass: 'sensitive', kernel: '/var/lib/xen/boot/vmlinuz', initrd: '/var/lib/xen/boot/initrd.img' }),
    ],
  });
}

/** The same fleet with problems of every severity and rule positions recorded. */
function messy() {
  const base = clean();
  return {
    ...base,
    hosts: [kvmHost('k1', { ksm: true }), kvmHost('k2'), xenHost('x1', { dom0: { memoryMiB: 8 * GiB, vcpus: 4, pin: true, balloon: true } })],
    vms: [...base.vms, vm('legacy', { host: 'k1', machine: 'pc', rng: false, securityClass: 'sensitive', firmware: 'uefi', secureBoot: true })],
    locations: {
      'hosts[x1]': { file: 'fleet.yaml', line: 10, column: 5 },
      'vms[legacy]': { file: 'fleet.yaml', line: 40, column: 5 },
    },
  };
}

const throwing: Rule = {
  id: 'ACME-THROWS',
  pack: 'custom',
  severity: 'warning',
  summary: 'Always throws',
  rationale: 'Tests the engine guard.',
  sources: ['https://example.com'],
  check: () => {
    throw new Error('boom');
  },
};

describe('evaluatePolicies', () => {
  it('finds nothing in a compliant fleet', () => {
    const f = clean();
    expect(evaluatePolicies(f, pinned(f, { pools: [{ name: 'p', reserve: 'n+1', satisfied: true, worstCase: ['k1'], spare: { cpu: 8, memoryMiB: 8 * GiB } }] }))).toEqual([]);
  });

  it('orders findings by severity, rule id, then target, and is deterministic', () => {
    const f = messy();
    const findings = evaluatePolicies(f, pinned(f));
    const keys = findings.map((x) => `${x.severity} ${x.ruleId} ${x.target}`);
    expect(keys).toEqual([
      'error KVM-KSM-SENSITIVE hosts[k1]',
      'error XEN-DOM0-BALLOON hosts[x1].dom0',
      'warning HYB-SENSITIVE-ON-KVM vms[legacy]',
      'warning KVM-MACHINE-LEGACY vms[legacy]',
      'info KVM-RNG-MISSING vms[legacy]',
    ]);
    expect(evaluatePolicies({ ...f, vms: [...f.vms].reverse(), hosts: [...f.hosts].reverse() }, pinned(f))).toEqual(findings);
  });

  it('locates findings at the target or its nearest located ancestor, and carries the rule sources', () => {
    const f = messy();
    const findings = evaluatePolicies(f, pinned(f));
    const balloon = findings.find((x) => x.ruleId === 'XEN-DOM0-BALLOON');
    expect(balloon?.location).toEqual({ file: 'fleet.yaml', line: 10, column: 5 });
    expect(balloon?.sources[0]).toMatch(/^https:/);
    expect(findings.find((x) => x.ruleId === 'KVM-KSM-SENSITIVE')?.location).toBeUndefined();
  });

  it('turns a throwing rule into an HP-ENGINE error naming the rule, and still runs the others', () => {
    const f = messy();
    const findings = evaluatePolicies(f, pinned(f), { customRules: [throwing] });
    const engine = findings.find((x) => x.ruleId === 'HP-ENGINE');
    expect(engine).toMatchObject({ severity: 'error', target: 'rules[ACME-THROWS]' });
    expect(engine?.message).toContain('boom');
    expect(findings.some((x) => x.ruleId === 'XEN-DOM0-BALLOON')).toBe(true);
  });

  it('reports malformed results and custom rules that reuse a built-in id', () => {
    const f = clean();
    const malformed: Rule = { ...throwing, id: 'ACME-MALFORMED', check: () => [{ target: 1 } as never] };
    const duplicate: Rule = { ...throwing, id: 'XEN-DOM0-BALLOON' };
    const findings = evaluatePolicies(f, pinned(f), { customRules: [malformed, duplicate] });
    expect(findings.filter((x) => x.ruleId === 'HP-ENGINE').map((x) => x.target).sort()).toEqual(['rules[ACME-MALFORMED]', 'rules[XEN-DOM0-BALLOON]']);
  });

  it('applies pack switches, per-rule enablement and severity overrides', () => {
    const f = messy();
    const ids = (config: Parameters<typeof evaluatePolicies>[2]) => evaluatePolicies(f, pinned(f), config).map((x) => `${x.severity} ${x.ruleId}`);
    expect(ids({ packs: { xen: false } })).not.toContain('error XEN-DOM0-BALLOON');
    expect(ids({ packs: { xen: false }, rules: { 'XEN-DOM0-BALLOON': { enabled: true } } })).toContain('error XEN-DOM0-BALLOON');
    expect(ids({ rules: { 'KVM-RNG-MISSING': { enabled: false } } })).not.toContain('info KVM-RNG-MISSING');
    expect(ids({ rules: { 'KVM-MACHINE-LEGACY': { severity: 'error' } } })).toContain('error KVM-MACHINE-LEGACY');
    expect(ids({ rules: { 'NO-SUCH-RULE': { enabled: false } } })).toContain('warning HP-POLICY-UNKNOWN-RULE');
  });

  it('uses thresholds from the config', () => {
    const f = fleet({ hosts: [kvmHost('k1', { overcommit: { cpu: 8, memory: 1 } })] });
    expect(evaluatePolicies(f, pinned(f)).map((x) => x.ruleId)).not.toContain('PLC-CPU-OVERCOMMIT');
    expect(evaluatePolicies(f, pinned(f), { thresholds: { maxCpuOvercommit: 4 } }).map((x) => x.ruleId)).toContain('PLC-CPU-OVERCOMMIT');
  });

  it('judges unplaced VMs by their declared hypervisor and skips unplaced auto VMs', () => {
    const f = fleet({ hosts: [kvmHost('k1')], vms: [vm('a', { machine: 'pc' }), vm('b', { hypervisor: 'kvm', machine: 'pc' })] });
    const legacy = evaluatePolicies(f, pinned(f)).filter((x) => x.ruleId === 'KVM-MACHINE-LEGACY').map((x) => x.target);
    expect(legacy).toEqual(['vms[b]']);
  });
});

describe('suppressions', () => {
  const f = messy();
  const placement = pinned(f);

  it('moves matching findings to `suppressed` with the reason, matching target globs and ancestors', () => {
    const result = evaluatePoliciesDetailed(f, placement, {
      suppressions: [
        { rule: 'KVM-*', target: 'vms[leg*]', reason: 'imported guest, replaced in Q3 2026' },
        { rule: 'XEN-DOM0-BALLOON', target: 'hosts[x1]', reason: 'ballooning Dom0 on the lab host on purpose' },
      ],
    });
    expect(result.findings.map((x) => x.ruleId)).not.toContain('KVM-MACHINE-LEGACY');
    expect(result.findings.map((x) => x.ruleId)).not.toContain('XEN-DOM0-BALLOON');
    expect(result.suppressed.map((x) => `${x.ruleId} ${x.target} ${x.reason}`)).toEqual([
      'XEN-DOM0-BALLOON hosts[x1].dom0 ballooning Dom0 on the lab host on purpose',
      'KVM-MACHINE-LEGACY vms[legacy] imported guest, replaced in Q3 2026',
      'KVM-RNG-MISSING vms[legacy] imported guest, replaced in Q3 2026',
    ]);
  });

  it('reports a suppression that matches nothing', () => {
    const result = evaluatePoliciesDetailed(f, placement, {
      suppressions: [{ rule: 'KVM-MACHINE-LEGACY', target: 'vms[web-*]', reason: 'nothing matches this one' }],
      locations: { 'suppressions[0]': { file: 'hyperplan.policy.yaml', line: 3, column: 5 } },
    });
    const unused = result.findings.find((x) => x.ruleId === 'HP-SUPPRESSION-UNUSED');
    expect(unused).toMatchObject({ severity: 'warning', target: 'suppressions[0]', location: { file: 'hyperplan.policy.yaml', line: 3 } });
  });

  it('stops applying an expired suppression and reports it', () => {
    const suppressions = [{ rule: 'KVM-MACHINE-LEGACY', reason: 'imported guest, replaced soon', expires: '2026-01-31' }];
    const before = evaluatePoliciesDetailed(f, placement, { suppressions, today: '2026-01-31' });
    expect(before.suppressed.map((x) => x.ruleId)).toEqual(['KVM-MACHINE-LEGACY']);
    const after = evaluatePoliciesDetailed(f, placement, { suppressions, today: '2026-02-01' });
    expect(after.suppressed).toEqual([]);
    expect(after.findings.map((x) => x.ruleId)).toEqual(expect.arrayContaining(['KVM-MACHINE-LEGACY', 'HP-SUPPRESSION-EXPIRED']));
  });

  it('requires a real reason', () => {
    const result = evaluatePoliciesDetailed(f, placement, { suppressions: [{ rule: 'KVM-MACHINE-LEGACY', reason: 'ok' }] });
    expect(result.suppressed).toEqual([]);
    expect(result.findings.find((x) => x.ruleId === 'HP-SUPPRESSION-INVALID')?.severity).toBe('error');
  });
});
