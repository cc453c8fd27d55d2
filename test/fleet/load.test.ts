import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatProblem, loadFleet, loadFleetFromString, locate } from '../../fleet/index';
import type { Fleet } from '../../fleet/index';
import { BASE_FLEET, problemLines } from './helpers';

const EXAMPLES = ['examples/kvm/fleet.yaml', 'examples/xen/fleet.yaml', 'examples/hybrid/fleet.yaml'];

function loaded(file: string): Fleet {
  const result = loadFleet(file, { env: {} });
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.fleet;
}

describe('loading examples', () => {
  it.each(EXAMPLES)('%s loads', (file) => {
    const fleet = loaded(file);
    expect(fleet.file).toBe(file);
    expect(fleet.hosts.length).toBeGreaterThanOrEqual(3);
    expect(readFileSync(file, 'utf8').startsWith('# yaml-language-server: $schema=../../schema/fleet.schema.json\n')).toBe(true);
  });

  it('normalizes hugepages: true keeps the pool page size, a size names it in KiB', () => {
    const text = BASE_FLEET.replace('    memory: 4GiB\n', '    memory: 4GiB\n    hugepages: 1GiB\n');
    const result = loadFleetFromString(text, 'f.yaml', { env: {} });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.fleet.vms[0]).toMatchObject({ hugepages: true, hugepageSizeKiB: 1024 * 1024 });
    const plain = loadFleetFromString(BASE_FLEET.replace('    memory: 4GiB\n', '    memory: 4GiB\n    hugepages: true\n'), 'f.yaml', { env: {} });
    if (!plain.ok) throw new Error(plain.problems.map(formatProblem).join('\n'));
    expect(plain.fleet.vms[0]!.hugepages).toBe(true);
    expect(plain.fleet.vms[0]!.hugepageSizeKiB).toBeUndefined();
  });

  it('normalizes the hybrid example', () => {
    const fleet = loaded('examples/hybrid/fleet.yaml');
    const kvm = fleet.hosts.find((h) => h.name === 'kvm-a1');
    expect(kvm).toMatchObject({
      memoryMiB: 512 * 1024,
      reserved: { memoryMiB: 8192, cpus: 2 },
      overcommit: { cpu: 4, memory: 1 },
      numaNodes: [{ cpus: 32, memoryMiB: 256 * 1024 }, { cpus: 32, memoryMiB: 256 * 1024 }],
      labels: { securityClass: 'general' },
      ksm: false,
    });
    const xen = fleet.hosts.find((h) => h.name === 'xen-s1');
    expect(xen?.dom0).toEqual({ memoryMiB: 8192, vcpus: 4, pin: true, balloon: false });
    expect(xen?.reserved).toBeUndefined();
    expect(fleet.pools.map((p) => [p.name, p.shared])).toEqual([['images', false], ['nfs-images', true]]);
    expect(fleet.migrationPools[0]).toEqual({
      name: 'kvm-pool-a', hypervisor: 'kvm', hosts: ['kvm-a1', 'kvm-a2'], sharedStorage: 'nfs-images', cpuModel: 'host-model', reserve: 'n+1', transport: 'tls',
    });
    const web = fleet.vms.find((v) => v.name === 'web-1');
    expect(web).toMatchObject({
      memoryMiB: 8192, hypervisor: 'auto', securityClass: 'general', workload: 'general', autostart: true, numa: 'none',
      networks: [{ network: 'prod' }],
    });
    expect(web?.disks[1]).toMatchObject({ sizeMiB: 100 * 1024, data: true, bus: 'virtio' });
    expect(web?.cloudInit?.userData).toBe(readFileSync('examples/hybrid/cloud-init/web.yaml', 'utf8'));
    expect(fleet.stacks).toEqual([{ name: 'site-a', hosts: ['kvm-a1', 'kvm-a2', 'xen-s1'], backend: { type: 'local', config: { path: 'state/site-a.tfstate' } } }]);
    expect(fleet.defaults.placement.strategy).toBe('spread');
  });

  it('records named locations and locates paths through their ancestors', () => {
    const fleet = loaded('examples/hybrid/fleet.yaml');
    const file = 'examples/hybrid/fleet.yaml';
    expect(fleet.locations['hosts[xen-s1]']).toEqual({ file, line: 31, column: 5 });
    expect(fleet.locations['hosts[xen-s1].dom0']).toEqual({ file, line: 38, column: 11 });
    expect(fleet.locations['hosts[xen-s1].dom0.memory']).toEqual({ file, line: 38, column: 21 });
    expect(fleet.locations['vms[web-1]']).toEqual({ file, line: 57, column: 5 });
    expect(fleet.locations['vms[web-1].memory']).toEqual({ file, line: 59, column: 13 });
    expect(fleet.locations['vms[web-1].disks[0]']).toEqual({ file, line: 61, column: 9 });
    expect(fleet.locations['vms[web-1].networks[0]']).toEqual({ file, line: 63, column: 16 });
    expect(fleet.locations['vms[web-1].cloudInit']).toEqual({ file, line: 68, column: 16 });
    for (const key of ['migrationPools[kvm-pool-a]', 'networks[prod]', 'pools[images]', 'images[debian-12]', 'stacks[site-a]', 'vms[vault-1].host']) {
      expect(fleet.locations[key], key).toBeDefined();
    }
    expect(locate(fleet, 'vms[web-1].graphics.listen')).toEqual(fleet.locations['vms[web-1]']);
    expect(locate(fleet, 'vms[web-1].disks[1].size')).toEqual({ file, line: 62, column: 17 });
    expect(locate(fleet, 'nothing[here]')).toBeUndefined();
  });
});

describe('collecting problems', () => {
  it('reports every independent mistake, located and sorted', () => {
    const result = loadFleet('test/fixtures/fleet/five-mistakes.yaml', { env: {} });
    const file = 'test/fixtures/fleet/five-mistakes.yaml';
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      `${file}:7:13: hosts[0].memory: expected a size with a unit such as '8GiB', got the bare number 131072`,
      `${file}:13:15: hosts[1].reserved: 'reserved' is for KVM hosts; on a Xen host size Dom0 with 'dom0'`,
      `${file}:22:21: vms[0].disks[0].size: unit 'GB' in '20GB' is ambiguous; write binary units, e.g. '20GiB'`,
      `${file}:23:16: vms[0].networks[0]: unknown network 'prd'; declared networks: prod`,
      `${file}:24:11: vms[1].name: duplicate VM name 'web-1' (first declared at vms[0])`,
      `${file}:27:5: vms[1].colour: unknown key 'colour'`,
    ]);
  });

  it('loads JSON files, tabs included', () => {
    const fleet = loaded('test/fixtures/fleet/small.json');
    expect(fleet.vms[0]?.disks[0]?.sizeMiB).toBe(10240);
    expect(fleet.locations['vms[vm-1].memory']).toEqual({ file: 'test/fixtures/fleet/small.json', line: 9, column: 43 });
  });

  it('locates problems in JSON files, duplicate keys included', () => {
    const result = loadFleet('test/fixtures/fleet/bad.json', { env: {} });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "test/fixtures/fleet/bad.json:4:92: hosts[0].memory: expected a size with a unit such as '8GiB', got the bare number 65536",
      "test/fixtures/fleet/bad.json:7:66: vms[0].networks[0]: unknown network 'lab'; no networks are declared",
      "test/fixtures/fleet/bad.json:7:74: duplicate key 'networks': each key may appear once in a mapping",
    ]);
  });

  it.each([
    ['', "f.yaml:1:1: the fleet file is empty; it must be a mapping that starts with 'apiVersion: hyperplan/v1'"],
    ['# only a comment\n', "f.yaml:1:1: the fleet file is empty; it must be a mapping that starts with 'apiVersion: hyperplan/v1'"],
    ['- a\n- b\n', "f.yaml:1:1: the fleet file must be a mapping that starts with 'apiVersion: hyperplan/v1'"],
    ['just text', "f.yaml:1:1: the fleet file must be a mapping that starts with 'apiVersion: hyperplan/v1'"],
  ])('one located problem for %j', (text, expected) => {
    expect(problemLines(text)).toEqual([expected]);
  });

  it('reports YAML syntax errors with the schema problems', () => {
    expect(problemLines(`${BASE_FLEET}extra: [unclosed\n`)).toEqual([
      "f.yaml:32:1: extra: unknown key 'extra'",
      'f.yaml:33:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports duplicate keys', () => {
    expect(problemLines(BASE_FLEET.replace('    cpus: 32\n', '    cpus: 32\n    cpus: 16\n'))).toEqual([
      "f.yaml:7:5: duplicate key 'cpus': each key may appear once in a mapping",
    ]);
  });

  it('reports an unreadable fleet file', () => {
    expect(loadFleet('does/not/exist.yaml')).toEqual({
      ok: false,
      problems: [{ file: 'does/not/exist.yaml', line: 1, column: 1, path: '', message: 'cannot read the fleet file (ENOENT)' }],
    });
  });

  it('reports an unreadable cloud-init file', () => {
    const text = BASE_FLEET.replace('    migrationPool: mp\n', '    migrationPool: mp\n    cloudInit: { userData: ./missing.yaml }\n');
    expect(problemLines(text)).toEqual(["f.yaml:30:28: vms[0].cloudInit.userData: cannot read file './missing.yaml' (ENOENT)"]);
  });

  it('splits NUMA nodes evenly and applies defaults', () => {
    const text = BASE_FLEET.replace('    memory: 128GiB\n  - name: xen-1', '    memory: 96GiB\n    numaNodes: 4\n  - name: xen-1')
      .replace('apiVersion: hyperplan/v1\n', 'apiVersion: hyperplan/v1\ndefaults: { kvm: { overcommit: { cpu: 8 }, reserved: { memory: 2GiB, cpus: 1 } }, xen: { overcommit: { memory: 0.9 } } }\n');
    const result = loadFleetFromString(text, 'f.yaml', { env: {} });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const [kvm, xen] = result.fleet.hosts;
    expect(kvm?.numaNodes).toEqual(Array.from({ length: 4 }, () => ({ cpus: 8, memoryMiB: 24576 })));
    expect(kvm?.overcommit).toEqual({ cpu: 8, memory: 1 });
    expect(kvm?.reserved).toEqual({ memoryMiB: 2048, cpus: 1 });
    expect(xen?.overcommit).toEqual({ cpu: 4, memory: 0.9 });
    expect(result.fleet.stacks[0]?.backend).toEqual({ type: 'local', config: { path: 'terraform.site.tfstate' } });
  });
});
