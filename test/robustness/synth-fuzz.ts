/**
 * Synth-level fuzz: seeded, structure-aware mutations of the example fleets (enum values, optional keys,
 * cross-references, names, lists, backend settings, token-shaped strings), each run through `check` and
 * `synth` in process. One verdict for every fleet: both exit with the same code, never 70 (a crash), and
 * every exit-2 message is located (`file:line:column: …`).
 *
 * User-data file contents are not mutated (cloud-init content validation is another check's job).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { mulberry32 } from '../../bench/generate-fleet';
import { cli } from '../support/cli';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };


type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Every enum of the fleet file, by key (the backend `type` is handled with its settings). */
const ENUMS: Readonly<Record<string, readonly Json[]>> = {
  hypervisor: ['kvm', 'xen', 'auto'],
  mode: ['nat', 'bridge', 'isolated', 'route', 'open'],
  type: ['dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'iscsi-direct', 'scsi', 'mpath', 'rbd', 'gluster', 'zfs', 'vstorage', 'vnc', 'spice'],
  bus: ['virtio', 'scsi', 'sata', 'ide', 'xen', 'usb'],
  diskBus: ['virtio', 'scsi', 'sata', 'ide', 'xen', 'usb'],
  cache: ['none', 'writethrough', 'writeback', 'directsync', 'unsafe', 'default'],
  diskCache: ['none', 'writethrough', 'writeback', 'directsync', 'unsafe', 'default'],
  io: ['native', 'threads', 'io_uring'],
  format: ['qcow2', 'raw'],
  guestType: ['pv', 'pvh', 'hvm'],
  firmware: ['bios', 'uefi'],
  cpuMode: ['host-model', 'host-passthrough', 'custom', 'maximum'],
  securityClass: ['general', 'sensitive', 'isolated'],
  workload: ['general', 'io-heavy', 'network-heavy', 'latency-critical', 'vdi'],
  numa: ['none', 'preferred', 'strict'],
  reserve: ['none', 'n+1', 'n+2'],
  strategy: ['spread', 'pack'],
  secureBoot: [true, false],
  data: [true, false],
  autostart: [true, false],
  hugepages: [true, false],
  ksm: [true, false],
  balloon: [true, false],
  rng: [true, false],
  iommu: [true, false],
  pvhCapable: [true, false],
  preventDestroy: [true, false],
};

/** Optional keys and values to add, per section (plausible, borderline and wrong for synthesis). */
const OPTIONAL: Readonly<Record<string, Readonly<Record<string, readonly Json[]>>>> = {
  hosts: {
    numaNodes: [1, 2, 4], cpuModel: ['EPYC-Milan', 'Skylake-Server'], zone: ['rack-a', 'rack-b', 'rack-c'], iommu: [true],
    labels: [{ securityClass: 'sensitive' }, { securityClass: 'isolated' }], overcommit: [{ cpu: 1, memory: 1 }, { cpu: 16 }],
    reserved: [{ memory: '4GiB', cpus: 2 }], hugepages: [{ size: '2MiB', count: 1024 }], dom0: [{}, { memory: '4GiB', vcpus: 2 }],
    cpuVendor: ['AMD', 'Intel'], cpuFlags: [['avx2', 'aes']],
  },
  migrationPools: { sharedStorage: ['images', 'nfs-images', 'nope'], cpuModel: ['host-passthrough', 'EPYC-Milan'] },
  networks: {
    bridge: ['br0', 'virbr9'], cidr: ['10.0.0.0/24', '10.0.0.0/30', '10.0.0.0/31', '10.0.0.1/32', '0.0.0.0/0', '10.0.0.0/8'],
    dhcp: [{ start: '10.0.0.2', end: '10.0.0.9' }], domain: ['lab.example'], mtu: [1500, 9000],
  },
  pools: {
    path: ['/var/lib/libvirt/x', '/'], source: ['nfs1:/export/x', 'nfs1', ':/x', 'nfs1:', 'vg0', '/dev/sdb'], capacity: ['1TiB'],
  },
  images: { pool: ['images', 'nfs-images'], format: ['raw'] },
  vms: {
    cloudInit: [{}, { sshKeys: ['ssh-ed25519 AAAA k'] }], firmware: ['uefi', 'bios'], machine: ['q35', 'pc'], cpuModel: ['EPYC-Milan'],
    kernel: ['/boot/vmlinuz'], initrd: ['/boot/initrd'], cmdline: ['console=hvc0'], bootloader: ['pygrub'],
    affinity: ['web', 'db'], antiAffinity: ['web', 'db'], softAntiAffinity: ['web'], host: ['kvm-a1', 'xen-s1', 'xen-h1'],
    zone: ['rack-a', 'rack-b'], migrationPool: ['kvm-pool-a', 'xen-pool'], graphics: [{ type: 'vnc' }, { type: 'spice', listen: '0.0.0.0' }],
    hostdevs: [['0000:3b:00.0']], disks: [[]], networks: [[]], hypervisor: ['xen', 'kvm'], guestType: ['hvm', 'pv'],
  },
};

/** Names that are valid on their own and clash with something once synthesized, or with Object.prototype. */
function nameVariants(name: string, data: JsonObject): string[] {
  const migrationPools = namesOf(data, 'migrationPools');
  return [
    name.includes('-') ? name.replace(/-/g, '_') : `${name}_x`,
    name.replace(/_/g, '-'),
    'backend', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'proto',
    ...migrationPools.map((p) => `migration-${p}`),
    `${name}_disk0`, `image_${name}`, `${name}_cloudinit`, `pool_${name}`, 'node_info',
  ];
}

/** Strings cdktf would read as tokens, and other strings that reach Terraform JSON verbatim. */
const TOKEN_STRINGS = ['${TfToken[TOKEN.1]}', '#{TfToken[TOKEN.2]}', 'a${TfToken[TOKEN.999]}b', '${aws_instance.x.id}', '%{ if true }x%{ endif }', '${', '$${x}'];
/** Numbers cdktf encodes tokens as (around -1.8881545897087626e+289), and other borderline numbers. */
const ODD_NUMBERS = [-1.8881545897087626e289, -1.888154589708e289, 1e308, -0, 0.5, 2 ** 53 + 2];

function namesOf(data: JsonObject, section: string): string[] {
  const items = data[section];
  return Array.isArray(items) ? items.flatMap((i) => (isObject(i) && typeof i.name === 'string' ? [i.name] : [])) : [];
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every object in the tree with its path (userData and the cloudInit block's files are skipped). */
function objects(value: Json, path: (string | number)[] = []): { path: (string | number)[]; object: JsonObject }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objects(v, [...path, i]));
  if (!isObject(value)) return [];
  return [{ path, object: value }, ...Object.entries(value).flatMap(([k, v]) => objects(v, [...path, k]))];
}

function listOf(data: JsonObject, section: string): JsonObject[] {
  const items = data[section];
  return Array.isArray(items) ? items.filter(isObject) : [];
}

/** Cross-references: which key of which section names an object of which section. */
const REFERENCES: readonly { section: string; key: string; target: string }[] = [
  { section: 'vms', key: 'host', target: 'hosts' },
  { section: 'vms', key: 'migrationPool', target: 'migrationPools' },
  { section: 'migrationPools', key: 'sharedStorage', target: 'pools' },
  { section: 'images', key: 'pool', target: 'pools' },
];

const BACKENDS: readonly Json[] = [
  { type: 'local' }, { type: 'local', path: 'state/x.tfstate' },
  { type: 's3', bucket: 'b', key: 'k', region: 'eu-west-1' }, { type: 'pg', connStr: 'postgres://db/tf' },
  { type: 'http', address: 'https://state.example/x' }, { type: 'consul', address: 'consul:8500', path: 'tf/x' },
  { type: 'gcs', bucket: 'b', prefix: 'p' }, { type: 'azurerm', storageAccountName: 'a', containerName: 'c', key: 'k', resourceGroupName: 'r' },
  { type: 'remote', organization: 'o' }, { type: 'cos', bucket: 'b' }, { type: 'oss', bucket: 'b' }, { type: 'kubernetes', secretSuffix: 's' },
  { type: 's3', bucket: null }, { type: 's3', bucket: 'b', key: 'k', region: 'r', nested: { a: { b: { c: { d: { e: { f: 1 } } } } } } },
  { type: 's3', bucket: 'b', key: 'k', region: 'r', maxRetries: -1.8881545897087626e289 }, { type: 'http', address: '${TfToken[TOKEN.1]}' },
  { type: 'pg', connStr: 7 }, { type: 'gcs', bucket: ['b'] }, { type: 'consul', address: 'c', gzip: 'yes' },
];

type Mutator = (data: JsonObject, rng: Rng) => string | undefined;

const MUTATORS: readonly Mutator[] = [
  // Every enum: set a key that has one to another of its values.
  (data, rng) => {
    const found = objects(data).flatMap(({ path, object }) => Object.keys(object).filter((k) => ENUMS[k] && path[0] !== 'stacks').map((k) => ({ path, object, k })));
    if (found.length === 0) return undefined;
    const { path, object, k } = pick(rng, found);
    object[k] = pick(rng, ENUMS[k]!);
    return `${path.join('.')}.${k} = ${String(object[k])}`;
  },
  // Optional keys: delete one (anything but name and apiVersion).
  (data, rng) => {
    const found = objects(data).flatMap(({ path, object }) => Object.keys(object).filter((k) => k !== 'name' && k !== 'apiVersion' && k !== 'type').map((k) => ({ path, object, k })));
    if (found.length === 0) return undefined;
    const { path, object, k } = pick(rng, found);
    delete object[k];
    return `delete ${path.join('.')}.${k}`;
  },
  // Optional keys: add or replace one with a table value.
  (data, rng) => {
    const section = pick(rng, Object.keys(OPTIONAL));
    const items = listOf(data, section);
    if (items.length === 0) return undefined;
    const item = pick(rng, items);
    const key = pick(rng, Object.keys(OPTIONAL[section]!));
    item[key] = structuredClone(pick(rng, OPTIONAL[section]![key]!)) as Json;
    return `${section}[${String(item.name)}].${key} = ${JSON.stringify(item[key])}`;
  },
  // Cross-references: point one at another declared name, or at an undeclared one.
  (data, rng) => {
    const ref = pick(rng, REFERENCES);
    const items = listOf(data, ref.section);
    if (items.length === 0) return undefined;
    const item = pick(rng, items);
    item[ref.key] = pick(rng, [...namesOf(data, ref.target), 'missing']);
    return `${ref.section}[${String(item.name)}].${ref.key} = ${String(item[ref.key])}`;
  },
  // VM disks and networks reference pools, images and networks.
  (data, rng) => {
    const vms = listOf(data, 'vms');
    if (vms.length === 0) return undefined;
    const vm = pick(rng, vms);
    const disks = Array.isArray(vm.disks) ? vm.disks.filter(isObject) : [];
    if (rng() < 0.5 && disks.length > 0) {
      const disk = pick(rng, disks);
      const images = [...namesOf(data, 'images'), '/srv/a/debian-12.qcow2', '/', 'https://x.example/img/', 'http://x/debian-12.qcow2?v=2', 'ubuntu.raw'];
      if (rng() < 0.5) disk.image = pick(rng, images);
      else disk.pool = pick(rng, [...namesOf(data, 'pools'), 'missing']);
      return `vms[${String(vm.name)}] disk = ${JSON.stringify(disk)}`;
    }
    vm.networks = [pick(rng, [...namesOf(data, 'networks'), 'missing'])];
    return `vms[${String(vm.name)}].networks = ${JSON.stringify(vm.networks)}`;
  },
  // Names: rename an object to a variant that may clash once derived into ids.
  (data, rng) => {
    const section = pick(rng, ['hosts', 'vms', 'pools', 'networks', 'images', 'migrationPools', 'stacks']);
    const items = listOf(data, section);
    if (items.length === 0) return undefined;
    const item = pick(rng, items);
    const old = String(item.name);
    item.name = pick(rng, nameVariants(old, data));
    // Keep references to a renamed host, pool or network half of the time, so the rename reaches synthesis.
    if (rng() < 0.5) renameReferences(data, section, old, item.name);
    return `${section}[${old}].name = ${item.name}`;
  },
  // Lists: duplicate an item under a derived name, or drop one.
  (data, rng) => {
    const section = pick(rng, ['hosts', 'vms', 'pools', 'networks', 'images', 'migrationPools', 'stacks']);
    const items = data[section];
    if (!Array.isArray(items) || items.length === 0) return undefined;
    const index = Math.floor(rng() * items.length);
    if (rng() < 0.3) {
      items.splice(index, 1);
      return `drop ${section}[${index}]`;
    }
    const copy = structuredClone(items[index]!);
    if (isObject(copy) && typeof copy.name === 'string') copy.name = pick(rng, nameVariants(copy.name, data));
    items.push(copy);
    return `copy ${section}[${index}] as ${isObject(copy) ? String(copy.name) : '?'}`;
  },
  // Many disks (the cloud-init seed needs a free device name on its bus).
  (data, rng) => {
    const vms = listOf(data, 'vms');
    if (vms.length === 0) return undefined;
    const vm = pick(rng, vms);
    const count = pick(rng, [25, 26, 27]);
    const bus = pick(rng, ['sata', 'xen', 'ide', 'virtio', undefined]);
    vm.disks = Array.from({ length: count }, () => ({ size: '1GiB', pool: 'images', ...(bus ? { bus } : {}) }));
    if (rng() < 0.7) vm.cloudInit = {};
    return `vms[${String(vm.name)}] ${count} disks on ${String(bus)}`;
  },
  // Stacks: a host in none, twice, or in two; backends of every type with good and bad settings.
  (data, rng) => {
    const hosts = namesOf(data, 'hosts');
    const stacks = listOf(data, 'stacks');
    const choice = rng();
    if (choice < 0.25 || stacks.length === 0) {
      // Mostly every host, so the backend reaches synthesis; sometimes a host is left out.
      const count = rng() < 0.8 ? hosts.length : Math.max(1, Math.floor(rng() * hosts.length));
      data.stacks = [{ name: 'all', hosts: hosts.slice(0, count), backend: structuredClone(pick(rng, BACKENDS)) as Json }];
      return `stacks = ${JSON.stringify(data.stacks)}`;
    }
    const stack = pick(rng, stacks);
    if (choice < 0.5) {
      stack.backend = structuredClone(pick(rng, BACKENDS)) as Json;
      return `stacks[${String(stack.name)}].backend = ${JSON.stringify(stack.backend)}`;
    }
    if (choice < 0.75 && Array.isArray(stack.hosts) && stack.hosts.length > 0) {
      stack.hosts.push(pick(rng, stack.hosts));
      return `stacks[${String(stack.name)}] lists a host twice`;
    }
    stacks.push({ name: `s${stacks.length}`, hosts: [pick(rng, hosts.length > 0 ? hosts : ['none'])] });
    return 'a second stack takes a host';
  },
  // Strings cdktf reads as tokens, and numbers it encodes tokens as, in any rendered field.
  (data, rng) => {
    const found = objects(data).flatMap(({ path, object }) =>
      Object.keys(object).filter((k) => k !== 'userData' && (typeof object[k] === 'string' || typeof object[k] === 'number')).map((k) => ({ path, object, k })));
    if (found.length === 0) return undefined;
    const { path, object, k } = pick(rng, found);
    object[k] = typeof object[k] === 'number' ? pick(rng, ODD_NUMBERS) : pick(rng, TOKEN_STRINGS);
    return `${path.join('.')}.${k} = ${JSON.stringify(object[k])}`;
  },
  // No hosts at all (VMs stay).
  (data) => {
    data.hosts = [];
    delete data.stacks;
    delete data.migrationPools;
    for (const vm of listOf(data, 'vms')) delete vm.host;
    return 'no hosts';
  },
];

function renameReferences(data: JsonObject, section: string, from: string, to: Json): void {
  const swap = (value: Json): Json => (value === from ? to : value);
  for (const ref of REFERENCES) if (ref.target === section) for (const item of listOf(data, ref.section)) if (item[ref.key] !== undefined) item[ref.key] = swap(item[ref.key]!);
  for (const item of [...listOf(data, 'stacks'), ...listOf(data, 'migrationPools')]) {
    if (section === 'hosts' && Array.isArray(item.hosts)) item.hosts = item.hosts.map(swap);
  }
  for (const vm of listOf(data, 'vms')) {
    if (section === 'networks' && Array.isArray(vm.networks)) vm.networks = vm.networks.map((n) => (isObject(n) ? { ...n, network: swap(n.network!) } : swap(n)));
    if ((section === 'pools' || section === 'images') && Array.isArray(vm.disks)) {
      for (const disk of vm.disks.filter(isObject)) {
        if (section === 'pools' && disk.pool !== undefined) disk.pool = swap(disk.pool);
        if (section === 'images' && disk.image !== undefined) disk.image = swap(disk.image);
      }
    }
  }
}

export interface FuzzCase {
  readonly index: number;
  readonly edits: readonly string[];
  readonly text: string;
}

/** Case `index` of `seed` for the example text: one to four structure-aware edits. */
export function fuzzCase(exampleText: string, seed: number, index: number): FuzzCase {
  // The benchmark's seeded generator, so a case is reproducible from (seed, index) alone.
  const rng = mulberry32(seed * 1_000_003 + index);
  const data = parse(exampleText) as JsonObject;
  const edits: string[] = [];
  const count = 1 + Math.floor(rng() * 4);
  for (let attempt = 0; edits.length < count && attempt < 20; attempt += 1) {
    const edit = pick(rng, MUTATORS)(data, rng);
    if (edit !== undefined) edits.push(edit);
  }
  return { index, edits, text: stringify(data, { lineWidth: 0 }) };
}

/** A directory with the fleet text as `fleet.yaml` and the example's cloud-init file beside it. */
export function fuzzDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hyperplan-synth-fuzz-'));
  mkdirSync(join(dir, 'cloud-init'));
  copyFileSync('examples/hybrid/cloud-init/web.yaml', join(dir, 'cloud-init', 'web.yaml'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const LOCATED = /^[^\s:][^:]*:\d+:\d+: \S/;

export interface Verdicts {
  readonly check: number;
  readonly synth: number;
  /** What is wrong with this pair of runs; empty when nothing is. */
  readonly problems: readonly string[];
  readonly output: string;
}

/** Runs `check` and `synth` on `text` in `dir` and judges the pair. */
export async function verdicts(text: string, dir: string): Promise<Verdicts> {
  writeFileSync(join(dir, 'fleet.yaml'), text);
  const env = { CI: '', HYPERPLAN_FLEET: '' };
  const check = await cli(['check', 'fleet.yaml'], { cwd: dir, env });
  const synth = await cli(['synth', 'fleet.yaml', '--out', 'out', '--quiet'], { cwd: dir, env });
  const problems: string[] = [];
  for (const [name, run] of [['check', check], ['synth', synth]] as const) {
    if (run.code === 70) problems.push(`${name} crashed (exit 70)`);
    if (run.code === 2) {
      const unlocated = run.stderr.split('\n').filter((line) => line !== '' && !LOCATED.test(line));
      if (unlocated.length > 0) problems.push(`${name} exit 2 with unlocated lines: ${unlocated.slice(0, 3).join(' | ')}`);
    }
  }
  if (check.code !== synth.code) problems.push(`check exits ${check.code} but synth exits ${synth.code}`);
  return { check: check.code, synth: synth.code, problems, output: `--- check\n${check.stdout}${check.stderr}--- synth\n${synth.stdout}${synth.stderr}` };
}
