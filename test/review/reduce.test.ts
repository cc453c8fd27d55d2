/**
 * The reduced review (synthesize only the hosts whose Terraform can differ) against the full one (both
 * revisions synthesized whole), on a generated mid-size fleet: the review JSON must be identical, and at
 * the level of the synthesized documents every element the reduced syntheses hold must equal the full
 * one, and every element they leave out must be identical in both full syntheses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet } from '../../bench/generate-fleet';
import { prepareSide, synthesizePrepared, synthesizeSides, type PreparedSide, type SynthesizedSide } from '../../pipeline/review';
import { readSynthOutput } from '../../review/git';
import { affectedHosts } from '../../review/reduce';
import { buildReview } from '../../review/review';
import type { JsonObject } from '../../review/terraform-json';

const dir = mkdtempSync(join(tmpdir(), 'hyperplan-review-reduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;

const BASE = generateFleet({ hosts: 20, vms: 300, seed: 7 }).text;
let base: PreparedSide;
// The base's full synthesis is the same in every case: made once (it is most of this file's time).
let fullBase: SynthesizedSide;
let fullBaseDir = '';

/** The base prepared and synthesized whole, into a directory of its own. */
async function setBase(yaml: string): Promise<void> {
  base = await prepare('base', yaml);
  fullBaseDir = join(dir, `full-base-${count}`);
  fullBase = synthesizePrepared(base, fullBaseDir);
}

async function prepare(label: string, yaml: string): Promise<PreparedSide> {
  const sideDir = join(dir, `fleet-${(count += 1)}`);
  mkdirSync(sideDir, { recursive: true });
  writeFileSync(join(sideDir, 'fleet.yaml'), yaml);
  return prepareSide(label, join(sideDir, 'fleet.yaml'), { env: {} });
}

/** Every element of a synthesis by `stack/kind/type/name`, as JSON text. */
function elements(outDir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const { name: stack, document } of readSynthOutput(outDir)) {
    for (const [kind, block] of Object.entries(document)) {
      if ((kind === 'resource' || kind === 'data') && block && typeof block === 'object') {
        for (const [type, byName] of Object.entries(block as JsonObject)) {
          for (const [name, body] of Object.entries(byName as JsonObject)) map.set(`${stack}/${kind}/${type}/${name}`, JSON.stringify(body));
        }
      } else if (kind === 'output' && block && typeof block === 'object') {
        for (const [name, body] of Object.entries(block as JsonObject)) map.set(`${stack}/output/${name}`, JSON.stringify(body));
      } else if (kind === 'provider' && block && typeof block === 'object') {
        for (const [type, entries] of Object.entries(block as JsonObject)) {
          for (const entry of Array.isArray(entries) ? entries : [entries]) {
            map.set(`${stack}/provider/${type}/${(entry as { alias?: string }).alias ?? ''}`, JSON.stringify(entry));
          }
        }
      } else if (kind !== '//') {
        // The top-level `//` block is cdktf's map from construct paths to logical ids (every output of the
        // stack listed under its construct): metadata the review never reads, so it is left out.
        map.set(`${stack}/${kind}`, JSON.stringify(block));
      }
    }
  }
  return map;
}

async function compare(headYaml: string): Promise<{ affected: number; hosts: number; changes: number }> {
  const head = await prepare('head', headYaml);
  const fullDir = join(dir, `full-${count}`);
  const reducedDir = join(dir, `reduced-${count}`);
  const full = { base: fullBase, head: synthesizePrepared(head, join(fullDir, 'head', 'out')) };
  const reduced = synthesizeSides(base, head, true, reducedDir);
  const fullReview = buildReview({ base: full.base, head: full.head });
  const reducedReview = buildReview({ base: reduced.base, head: reduced.head });
  expect(JSON.stringify(reducedReview, null, 2)).toBe(JSON.stringify(fullReview, null, 2));

  const fb = elements(fullBaseDir);
  const fh = elements(join(fullDir, 'head', 'out'));
  const rb = elements(join(reducedDir, 'base', 'out'));
  const rh = elements(join(reducedDir, 'head', 'out'));
  const inReduced = new Set([...rb.keys(), ...rh.keys()]);
  const wrong: string[] = [];
  for (const key of inReduced) {
    if (rb.get(key) !== fb.get(key)) wrong.push(`base ${key}: reduced ${rb.get(key)} ≠ full ${fb.get(key)}`);
    if (rh.get(key) !== fh.get(key)) wrong.push(`head ${key}: reduced ${rh.get(key)} ≠ full ${fh.get(key)}`);
  }
  for (const key of new Set([...fb.keys(), ...fh.keys()])) {
    if (!inReduced.has(key) && fb.get(key) !== fh.get(key)) wrong.push(`${key} changed but was left out of the reduced syntheses`);
  }
  expect(wrong.slice(0, 10)).toEqual([]);
  const hosts = new Set([...base.fleet.hosts, ...head.fleet.hosts].map((h) => h.name)).size;
  return { affected: affectedHosts(base, head).size, hosts, changes: fullReview.vms.length + fullReview.resources.length };
}

/** `text` with each `[from, to]` replaced once; throws when `from` is missing. */
function edit(text: string, ...replacements: readonly (readonly [string | RegExp, string])[]): string {
  let result = text;
  for (const [from, to] of replacements) {
    const next = result.replace(from, to);
    if (next === result) throw new Error(`fixture edit: '${String(from)}' not found`);
    result = next;
  }
  return result;
}

const NEW_VM = (name: string, hypervisor: string): string =>
  `  - name: ${name}\n    vcpus: 2\n    memory: 4GiB\n    hypervisor: ${hypervisor}\n    disks:\n` +
  '      - { size: 40GiB, pool: images, image: /var/lib/libvirt/images/debian-12.qcow2 }\n    networks: [prod]\n';

beforeAll(async () => {
  await setBase(BASE);
});

describe('reduced review equals the full review', () => {
  it('nothing changed: no host is synthesized', async () => {
    expect(await compare(BASE)).toMatchObject({ affected: 0, changes: 0 });
  });

  it('adds a Xen VM', async () => {
    expect((await compare(`${BASE}${NEW_VM('added-1', 'xen')}`)).changes).toBeGreaterThan(0);
  });

  it('adds a KVM VM', async () => {
    const result = await compare(`${BASE}${NEW_VM('added-2', 'kvm')}`);
    expect(result.changes).toBeGreaterThan(0);
  });

  it('removes a host (and its pool membership)', async () => {
    const head = edit(BASE, [/ {2}- name: xen-0005\n(?: {4}.*\n)+/, ''], [', xen-0005]', ']']);
    const result = await compare(head);
    expect(result.changes).toBeGreaterThan(0);
  });

  it('resizes a VM', async () => {
    const head = edit(BASE, [/(- name: vm-00002\n {4}vcpus: )(\d+)/, '$18']);
    expect((await compare(head)).changes).toBeGreaterThan(0);
  });

  it('changes a network', async () => {
    expect((await compare(edit(BASE, ['{ name: storage, mode: bridge, bridge: br1 }', '{ name: storage, mode: bridge, bridge: br9 }']))).changes).toBeGreaterThan(0);
  });

  it('changes a storage pool used only as shared storage of one migration pool', async () => {
    const head = edit(BASE, ['path: /var/lib/libvirt/nfs-xen-pool-001 }', 'path: /srv/nfs-xen-pool-001 }']);
    const result = await compare(head);
    expect(result.changes).toBeGreaterThan(0);
    expect(result.affected).toBeLessThan(result.hosts);
  });

  it('changes a host URI (a pool member: the pool output lists it)', async () => {
    const head = edit(BASE, ['uri: xen+ssh://root@xen-0002/system', 'uri: xen+ssh://root@xen-0002.example.com/system']);
    const result = await compare(head);
    expect(result.affected).toBeLessThan(result.hosts);
  });

  it('changes a migration pool (CPU baseline of its VMs)', async () => {
    expect((await compare(edit(BASE, [/(name: kvm-pool-001\n(?: {4}.*\n)*? {4}cpuModel: )host-model/, '$1host-passthrough']))).changes).toBeGreaterThanOrEqual(0);
  });

  it('changes the defaults: every host is synthesized', async () => {
    const head = edit(BASE, ['xen: { overcommit: { cpu: 2, memory: 1.0 } }', 'xen: { overcommit: { cpu: 2, memory: 1.0 }, vm: { nicModel: e1000 } }']);
    const result = await compare(head);
    expect(result.affected).toBe(result.hosts);
    expect(result.changes).toBeGreaterThan(0);
  });

  it('declares stacks with a remote backend for some hosts', async () => {
    const hosts = base.fleet.hosts.map((h) => h.name);
    const stacks =
      'stacks:\n' +
      `  - { name: east, hosts: [${hosts.slice(0, 10).join(', ')}], backend: { type: s3, bucket: tf, key: east.tfstate, region: eu-west-1 } }\n` +
      `  - { name: west, hosts: [${hosts.slice(10).join(', ')}] }\n`;
    const withStacks = BASE.replace('vms:\n', `${stacks}vms:\n`);
    await setBase(withStacks);
    try {
      const moved = withStacks.replace(`${hosts[9]}], backend`, `${hosts[9]}, ${hosts[10]}], backend`).replace(`[${hosts[10]}, `, '[');
      const result = await compare(moved);
      expect(result.affected).toBeGreaterThan(0);
      expect(result.changes).toBeGreaterThan(0);
    } finally {
      await setBase(BASE);
    }
  });
});
