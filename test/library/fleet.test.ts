import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, Aspects } from '../../constructs/cdk-engine';
import { Fleet, FleetPropsError, HyperplanChecks } from '../../library/index';
import { synthesizeFleet } from '../../pipeline/synth';

const work = mkdtempSync(join(tmpdir(), 'hyperplan-library-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let runs = 0;

function newApp(): { app: App; outdir: string } {
  const outdir = join(work, `out-${(runs += 1)}`);
  return { app: new App({ outdir, hclOutput: false, stackTraces: false }), outdir };
}

function stackJson(outdir: string, stack: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
}

interface ManifestStack { readonly annotations: readonly { readonly level: string; readonly message: string }[] }
function manifest(outdir: string): { stacks: Record<string, ManifestStack> } {
  return JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, ManifestStack> };
}

/** A value without cdktf's `//` metadata blocks (construct paths), at every depth. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, v]) => [key, withoutMetadata(v)]));
}

/** Construct paths of every resource's `//` metadata block, in document order. */
function metadataPaths(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(metadataPaths);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = key === '//' ? (v as { metadata?: { path?: unknown } }).metadata?.path : undefined;
    return typeof path === 'string' ? [path] : key === '//' ? [] : metadataPaths(v);
  });
}

/** The README's example: one KVM host, one VM. */
function siteA(app: App): Fleet {
  const fleet = new Fleet(app, 'site-a', { defaults: { placement: { strategy: 'spread' } } });
  fleet.addHost({ name: 'kvm-a1', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-a1/system', cpus: 64, memory: '512GiB' });
  fleet.addNetwork({ name: 'prod', mode: 'bridge', bridge: 'br0' });
  fleet.addPool({ name: 'images', type: 'dir', path: '/var/lib/libvirt/images' });
  fleet.addVm({ name: 'web-1', vcpus: 4, memory: '8GiB', disks: [{ size: '40GiB', pool: 'images' }], networks: ['prod'] });
  return fleet;
}

describe('Fleet (construct API)', () => {
  it('synthesizes hosts and VMs added after construction into one stack named after the fleet', () => {
    const { app, outdir } = newApp();
    const fleet = siteA(app);
    app.synth();
    expect(fleet.stacks.map((s) => [s.node.path, s.vms])).toEqual([['site-a/site-a', ['web-1']]]);
    const json = stackJson(outdir, 'site-a') as { resource: Record<string, Record<string, { name?: string }>>; terraform: { backend: unknown } };
    expect(Object.keys(json.resource).sort()).toEqual(['libvirt_domain', 'libvirt_network', 'libvirt_pool', 'libvirt_volume']);
    expect(Object.values(json.resource.libvirt_domain!).map((d) => d.name)).toEqual(['web-1']);
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.site-a.tfstate' } });
  });

  it('reports policy warnings as annotations, cdk-nag style, when HyperplanChecks is added to the app', () => {
    const { app, outdir } = newApp();
    siteA(app);
    Aspects.of(app).add(new HyperplanChecks({ packs: ['kvm', 'xen', 'placement'] }));
    app.synth();
    const annotations = manifest(outdir).stacks['site-a']!.annotations;
    expect(annotations.map((a) => [a.level, a.message.split(' ')[0]])).toContainEqual(['@cdktf/warn', '[KVM-HOST-RESERVE]']);
  });

  it('runs only the packs it is given', () => {
    const { app, outdir } = newApp();
    siteA(app);
    Aspects.of(app).add(new HyperplanChecks({ packs: ['xen'] }));
    app.synth();
    expect(manifest(outdir).stacks['site-a']!.annotations.filter((a) => a.message.includes('KVM-'))).toEqual([]);
  });

  it('fails synthesis on a policy error, through the stack validation', () => {
    const { app } = newApp();
    const fleet = new Fleet(app, 'site-b');
    // KVM-KSM-SENSITIVE (error): a sensitive VM on a KVM host that does not declare KSM off.
    fleet.addHost({ name: 'kvm-s1', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-s1/system', cpus: 32, memory: '128GiB', labels: { securityClass: 'sensitive' } });
    fleet.addVm({ name: 'vault-1', vcpus: 2, memory: '4GiB', securityClass: 'sensitive' });
    Aspects.of(app).add(new HyperplanChecks());
    expect(() => app.synth()).toThrow(/\[KVM-KSM-SENSITIVE\] hosts\[kvm-s1\]: KVM host kvm-s1/);
  });

  it('reports bad props with their path, and no stack trace', () => {
    const { app } = newApp();
    const fleet = siteA(app);
    fleet.addVm({ name: 'db-1', vcpus: 2, memory: '4 gigabytes', networks: ['nowhere'] });
    let error: unknown;
    try {
      app.synth();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FleetPropsError);
    const problems = (error as FleetPropsError).problems;
    expect(problems.some((p) => p.startsWith('site-a: vms[1].memory: '))).toBe(true);
    expect((error as Error).stack).toBe(`FleetPropsError: ${(error as Error).message}`);
  });

  it('locates the problems of a fleet file as file:line:column', () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(file, 'apiVersion: hyperplan/v1\nhosts:\n  - { name: kvm-a1, hypervisor: kvm, uri: qemu:///system, cpus: 8, memory: lots }\n');
    expect(() => Fleet.fromFile(newApp().app, 'bad', file)).toThrow(new RegExp(`${file}:3:\\d+: hosts\\[0\\]\\.memory: `));
  });

  it('honours a lock file: a locked VM stays on its host', () => {
    const build = (lockFile?: string): Fleet => {
      const { app } = newApp();
      const fleet = new Fleet(app, 'site-c', lockFile === undefined ? {} : { lockFile });
      for (const name of ['kvm-a1', 'kvm-a2']) fleet.addHost({ name, hypervisor: 'kvm', uri: `qemu+ssh://root@${name}/system`, cpus: 16, memory: '64GiB' });
      fleet.addVm({ name: 'web-1', vcpus: 2, memory: '4GiB' });
      return fleet;
    };
    const fresh = build().resolve().placement.placements['web-1'];
    const other = fresh === 'kvm-a1' ? 'kvm-a2' : 'kvm-a1';
    const lockFile = join(work, 'hyperplan.lock.json');
    writeFileSync(lockFile, JSON.stringify({ version: 1, placements: { 'web-1': other } }));
    expect(build(lockFile).resolve().placement.placements['web-1']).toBe(other);
  });

  it('replaces the default stack with the stacks it is given', () => {
    const { app, outdir } = newApp();
    const fleet = siteA(app);
    fleet.addStack({ name: 'rack-a', hosts: ['kvm-a1'] });
    app.synth();
    expect(fleet.stacks.map((s) => s.node.id)).toEqual(['rack-a']);
    expect(Object.keys(manifest(outdir).stacks)).toEqual(['rack-a']);
  });

  it('refuses additions once the fleet is placed', () => {
    const { app } = newApp();
    const fleet = siteA(app);
    fleet.resolve();
    expect(() => fleet.addVm({ name: 'late-1', vcpus: 1, memory: '1GiB' })).toThrow(/site-a: vms: the fleet was already placed/);
  });

  it('rejects an unknown pack', () => {
    expect(() => new HyperplanChecks({ packs: ['kvm', 'vmware' as 'kvm'] })).toThrow(/unknown pack\(s\) vmware/);
  });
});

describe('Fleet.fromFile', () => {
  it('gives the Terraform of hyperplan synth for the hybrid example; only cdktf’s `//` construct paths gain the fleet id', async () => {
    const file = 'examples/hybrid/fleet.yaml';
    const viaCli = join(work, 'cli-out');
    const summary = await synthesizeFleet({ fleetFile: file, outDir: viaCli, env: {} });
    const { app, outdir } = newApp();
    const fleet = Fleet.fromFile(app, 'hybrid', file, { env: {} });
    app.synth();
    expect(fleet.stacks.map((s) => s.node.id)).toEqual(summary.stacks.map((s) => s.name));
    for (const { name } of summary.stacks) {
      const expected = stackJson(viaCli, name);
      const actual = stackJson(outdir, name);
      expect(withoutMetadata(actual)).toEqual(withoutMetadata(expected));
      // The documented difference: construct paths in `//` metadata start with the Fleet's id.
      const expectedPaths = metadataPaths(expected);
      expect(expectedPaths.length).toBeGreaterThan(10);
      expect(metadataPaths(actual)).toEqual(expectedPaths.map((p) => `hybrid/${p}`));
    }
  });
});
