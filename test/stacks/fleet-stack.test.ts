import { describe, expect, it } from 'vitest';
import { TerraformStack, Testing } from '../../constructs/cdk-engine';
import { InputError } from '../../io/errors';
import { loadFleet } from '../../fleet/index';
import { Secret } from '../../fleet/secret';
import { plan } from '../../planner/plan';
import type { Finding } from '../../policies/finding';
import { checkConformance } from '../../schema/conformance';
import { buildFleetApp } from '../../stacks/fleet-app';
import { stackSpecs } from '../../fleet/stack-specs';
import { HybridStack, KvmStack, XenStack } from '../../stacks/fleet-stack';
import { fleet, kvmHost, placement, vm, xenHost } from '../constructs/fixtures';

const hybrid = fleet({
  hosts: [kvmHost('kvm-a1'), kvmHost('kvm-a2'), xenHost('xen-s1')],
  vms: [vm('web-1'), vm('web-2'), vm('vault-1', { hypervisor: 'xen', guestType: 'pvh' })],
});
const placed = placement({ 'web-1': 'kvm-a1', 'web-2': 'kvm-a2', 'vault-1': 'xen-s1' });

const finding = (target: string, severity: Finding['severity'] = 'error'): Finding => ({
  ruleId: 'TEST-RULE', severity, target, message: `${target} is wrong`, sources: [],
});

const synthOf = (stack: KvmStack | XenStack | HybridStack, validate = false) => JSON.parse(Testing.synth(stack, validate)) as Record<string, any>;

describe('typed stacks', () => {
  it('rejects a Xen host in a KvmStack at compile time and at run time', () => {
    const app = Testing.app();
    expect(
      () =>
        // @ts-expect-error — a XenHostSpec is not a KvmHostSpec
        new KvmStack(app, 'kvm', { fleet: hybrid, placement: placed, hosts: [kvmHost('kvm-a1'), xenHost('xen-s1')], findings: [] }),
    ).toThrow(/kvm: a KvmStack holds kvm hosts only, got 'xen-s1' \(xen\); move them to another stack or use a HybridStack/);
  });

  it('rejects a KVM host in a XenStack when the hosts come from YAML (typed as plain Host)', () => {
    const hosts = hybrid.hosts; // Host[]: what the loader returns
    expect(() => new XenStack(Testing.app(), 'xen', { fleet: hybrid, placement: placed, hosts: hosts as never, findings: [] })).toThrow(
      /a XenStack holds xen hosts only, got 'kvm-a1' \(kvm\), 'kvm-a2' \(kvm\)/,
    );
  });

  it('composes one stack per hypervisor kind by default, each with its hosts, VMs and a relative local state path', () => {
    const stacks = buildFleetApp(Testing.app(), hybrid, placed, []);
    expect(stacks.map((s) => [s.node.id, s.constructor.name, s.vms])).toEqual([
      ['kvm', 'KvmStack', ['web-1', 'web-2']],
      ['xen', 'XenStack', ['vault-1']],
    ]);
    const kvm = synthOf(stacks[0]!);
    expect(kvm.terraform.backend).toEqual({ local: { path: 'terraform.kvm.tfstate' } });
    expect(kvm.provider.libvirt.map((p: { alias: string }) => p.alias)).toEqual(['kvm_a1', 'kvm_a2']);
    expect(Object.keys(kvm.resource.libvirt_domain)).toEqual(['kvm_a1_web_1', 'kvm_a2_web_2']);
    // Each host defines the pools and networks its guests use.
    expect(Object.keys(kvm.resource.libvirt_pool)).toEqual(['kvm_a1_pool_images', 'kvm_a2_pool_images']);
    expect(Object.keys(kvm.resource.libvirt_network)).toEqual(['kvm_a1_net_prod', 'kvm_a2_net_prod']);
    for (const stack of stacks) expect(checkConformance(synthOf(stack))).toEqual([]);
  });

  it('uses a HybridStack for a declared stack with both kinds and configures remote backends without their secrets', () => {
    const declared = fleet({
      ...hybrid,
      stacks: [{
        name: 'site-a',
        hosts: ['kvm-a1', 'kvm-a2', 'xen-s1'],
        backend: { type: 'pg', config: { connStr: new Secret('postgres://tf:pw@db/tf', 'env:PG'), schemaName: 'site_a' } },
      }],
    });
    const [stack, ...rest] = buildFleetApp(Testing.app(), declared, placed, []);
    expect(rest).toEqual([]);
    expect(stack).toBeInstanceOf(HybridStack);
    // A backend block cannot take variables: the secret is left out, for `terraform init -backend-config`.
    expect(synthOf(stack!).terraform.backend).toEqual({ pg: { schema_name: 'site_a' } });
    expect(stack!.backendInitSecrets).toEqual(['conn_str']);
  });

  it('shares a migration pool’s storage with every member and exports the pool', () => {
    const f = fleet({
      ...hybrid,
      migrationPools: [{ name: 'pool-a', hypervisor: 'kvm', hosts: ['kvm-a1', 'kvm-a2'], sharedStorage: 'nfs-images', cpuModel: 'host-model', reserve: 'n+1' }],
    });
    const kvm = synthOf(buildFleetApp(Testing.app(), f, placed, [])[0]!);
    expect(Object.keys(kvm.resource.libvirt_pool)).toEqual(['kvm_a1_pool_images', 'kvm_a1_pool_nfs_images', 'kvm_a2_pool_images', 'kvm_a2_pool_nfs_images']);
    expect(kvm.output.pool_a_members.value).toEqual({ 'kvm-a1': 'qemu+ssh://root@kvm-a1/system', 'kvm-a2': 'qemu+ssh://root@kvm-a2/system' });
  });

  it('fails when a declared stack leaves a host out', () => {
    const f = fleet({ ...hybrid, stacks: [{ name: 'only-kvm', hosts: ['kvm-a1', 'kvm-a2'], backend: { type: 'local', config: {} } }] });
    expect(() => buildFleetApp(Testing.app(), f, placed, [])).toThrow(InputError);
    expect(() => buildFleetApp(Testing.app(), f, placed, [])).toThrow(/host 'xen-s1' is in no stack; add it to one of the stacks \(only-kvm\)/);
  });

  it('lists stacks per kind present only', () => {
    expect(stackSpecs(fleet({ hosts: [xenHost('x')] })).map((s) => s.name)).toEqual(['xen']);
  });
});

describe('policy gate', () => {
  it('fails synthesis of the stack a finding concerns, listing every error finding; warnings pass', () => {
    const findings = [finding('vms[vault-1]'), finding('hosts[xen-s1].dom0'), finding('vms[web-1]', 'warning')];
    const [kvm, xen] = buildFleetApp(Testing.app(), hybrid, placed, findings);
    expect(() => Testing.synth(kvm!, true)).not.toThrow();
    expect(() => Testing.synth(xen!, true)).toThrow(/policy TEST-RULE at vms\[vault-1\]: vms\[vault-1\] is wrong[\s\S]*policy TEST-RULE at hosts\[xen-s1\]\.dom0/);
  });

  it('reports findings about shared objects (networks, pools) in every stack', () => {
    const stacks = buildFleetApp(Testing.app(), hybrid, placed, [finding('networks[prod]')]);
    for (const stack of stacks) expect(() => Testing.synth(stack, true)).toThrow(/networks\[prod\] is wrong/);
  });

  it('fails on unplaced VMs, naming the reasons of the stack’s hosts', () => {
    const unplaced = placement(placed.placements, { unplaced: [{ vm: 'big-1', reasons: { 'kvm-a1': 'capacity', 'xen-s1': 'kind' } }] });
    const [kvm] = buildFleetApp(Testing.app(), hybrid, unplaced, []);
    expect(() => Testing.synth(kvm!, true)).toThrow(/unplaced VM big-1: kvm-a1: capacity/);
  });

  it('fails when two fleet names map to one Terraform address', () => {
    const f = fleet({ hosts: [kvmHost('kvm-a1')], vms: [vm('web-1'), vm('web_1')] });
    const [kvm] = buildFleetApp(Testing.app(), f, placement({ 'web-1': 'kvm-a1', web_1: 'kvm-a1' }), []);
    expect(() => Testing.synth(kvm!, true)).toThrow(/both synthesize to libvirt_domain\.kvm_a1_web_1; rename one of the fleet objects/);
  });
});

describe('example fleets', () => {
  it.each(['kvm', 'xen', 'hybrid'])('examples/%s synthesizes to provider-conformant Terraform in every stack', (name) => {
    const loaded = loadFleet(`examples/${name}/fleet.yaml`);
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
    const stacks = buildFleetApp(Testing.app(), loaded.fleet, plan(loaded.fleet), []);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const json = synthOf(stack);
      expect(Object.keys(json.resource.libvirt_domain ?? {}).length).toBeGreaterThan(0);
      expect(checkConformance(json)).toEqual([]);
    }
  });
});

describe('toTerraform without cdktf’s second resolve pass', () => {
  it.each(['kvm', 'xen', 'hybrid'])('gives for examples/%s the document cdktf’s own TerraformStack.toTerraform gives', (name) => {
    const loaded = loadFleet(`examples/${name}/fleet.yaml`);
    if (!loaded.ok) throw new Error(loaded.problems[0]?.message);
    const stacks = buildFleetApp(Testing.app(), loaded.fleet, plan(loaded.fleet), [], { fingerprintKey: 'k'.repeat(32) });
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const ours = stack.toTerraform();
      const cdktf = TerraformStack.prototype.toTerraform.call(stack) as Record<string, unknown>;
      expect(Object.keys((ours['resource'] ?? {}) as object).length).toBeGreaterThan(0);
      // Both reach the disk through JSON: compare what would be written (undefined members dropped).
      expect(JSON.parse(JSON.stringify(ours))).toEqual(JSON.parse(JSON.stringify(cdktf)));
    }
  });
});
