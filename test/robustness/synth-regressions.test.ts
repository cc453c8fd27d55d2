/**
 * Every crash the synth-level fuzz (and the campaign of issue 21) found, as a named case: an edit of an
 * example, the exit code check and synth must both give, and nothing else wrong (no exit 70, no
 * unlocated exit-2 message, no disagreement).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cli } from '../support/cli';
import { fuzzDir, verdicts } from './synth-fuzz';

/** Parsed example YAML, edited freely by the cases. */
type Data = Record<string, any>;

const example = (name: 'hybrid' | 'kvm' | 'xen'): Data => parse(readFileSync(`examples/${name}/fleet.yaml`, 'utf8')) as Data;
const manyDisks = (count: number, bus: string): Data[] => Array.from({ length: count }, () => ({ size: '1GiB', pool: 'images', bus }));

const CASES: readonly { name: string; fleet: () => Data; code: number }[] = [
  { name: 'a host in no stack', code: 2, fleet: () => { const d = example('hybrid'); d.stacks[0].hosts = ['kvm-a1']; return d; } },
  { name: 'a host twice in one stack', code: 2, fleet: () => { const d = example('hybrid'); d.stacks[0].hosts.push('xen-s1'); return d; } },
  { name: 'a disk pool without source', code: 2, fleet: () => { const d = example('hybrid'); d.pools[0].type = 'disk'; return d; } },
  { name: 'a dir pool without path', code: 2, fleet: () => { const d = example('kvm'); delete d.pools[0].path; return d; } },
  { name: 'a netfs source without path', code: 2, fleet: () => { const d = example('hybrid'); d.pools[1].source = 'nfs1'; return d; } },
  { name: 'a nat network without cidr', code: 2, fleet: () => { const d = example('hybrid'); delete d.networks[1].cidr; return d; } },
  { name: 'a /31 network', code: 2, fleet: () => { const d = example('hybrid'); d.networks[1].cidr = '10.0.0.0/31'; return d; } },
  { name: 'a disk image without file name', code: 2, fleet: () => { const d = example('xen'); d.vms[0].disks[0].image = '/'; return d; } },
  { name: 'cloudInit on a VM without disks', code: 2, fleet: () => { const d = example('hybrid'); d.vms[0].disks = []; return d; } },
  { name: '26 xen disks and a cloud-init seed', code: 2, fleet: () => { const d = example('hybrid'); d.vms[1].disks = manyDisks(26, 'xen'); d.vms[1].hypervisor = 'xen'; delete d.vms[1].migrationPool; return d; } },
  { name: 'a kubernetes backend', code: 2, fleet: () => { const d = example('kvm'); d.stacks = [{ name: 'all', hosts: d.hosts.map((h: Data) => h.name), backend: { type: 'kubernetes', secretSuffix: 's' } }]; return d; } },
  { name: 'a null backend setting', code: 2, fleet: () => { const d = example('hybrid'); d.stacks[0].backend = { type: 's3', bucket: null, key: 'k' }; return d; } },
  { name: 'a token-shaped image source', code: 2, fleet: () => { const d = example('hybrid'); d.images[0].source = '#{TfToken[TOKEN.2]}'; return d; } },
  { name: 'a host named like a migration pool construct', code: 2, fleet: () => { const d = example('hybrid'); d.hosts.push({ ...d.hosts[0], name: 'migration-kvm-pool-a' }); d.stacks[0].hosts.push('migration-kvm-pool-a'); return d; } },
  { name: 'a host named backend', code: 2, fleet: () => { const d = example('hybrid'); d.hosts.push({ ...d.hosts[2], name: 'backend' }); d.stacks[0].hosts.push('backend'); return d; } },
  { name: 'a host named hasOwnProperty', code: 2, fleet: () => { const d = example('kvm'); d.hosts.push({ ...d.hosts[0], name: 'hasOwnProperty' }); return d; } },
  { name: 'VMs web-1 and web_1', code: 2, fleet: () => { const d = example('hybrid'); d.vms.push({ ...d.vms[3], name: 'lab_1' }); return d; } },
  { name: 'hosts kvm-a1 and kvm_a1', code: 2, fleet: () => { const d = example('hybrid'); d.hosts.push({ ...d.hosts[0], name: 'kvm_a1' }); d.stacks[0].hosts.push('kvm_a1'); return d; } },
  { name: 'VMs named constructor and toString', code: 0, fleet: () => { const d = example('hybrid'); d.vms[2].name = 'constructor'; d.vms[3].name = 'toString'; return d; } },
  { name: 'VMs and no hosts', code: 1, fleet: () => { const d = example('hybrid'); d.hosts = []; delete d.stacks; delete d.migrationPools; for (const vm of d.vms) { delete vm.host; delete vm.migrationPool; } return d; } },
];

describe('synth regressions (issue 21)', () => {
  const { dir, cleanup } = fuzzDir();
  afterAll(cleanup);

  it.each(CASES)('$name: check and synth both exit $code', async ({ fleet, code }) => {
    const v = await verdicts(stringify(fleet(), { lineWidth: 0 }), dir);
    expect(v.problems).toEqual([]);
    expect({ check: v.check, synth: v.synth }).toEqual({ check: code, synth: code });
  }, 60_000);

  it('plan and explain read VMs named constructor and toString as VMs, not as Object members', async () => {
    const d = example('hybrid');
    d.vms[2].name = 'constructor';
    d.vms[3].name = 'toString';
    await verdicts(stringify(d), dir);
    for (const argv of [['plan', 'fleet.yaml'], ['explain', 'fleet.yaml', 'constructor'], ['explain', 'fleet.yaml', 'toString'], ['explain', 'fleet.yaml', 'valueOf']]) {
      const run = await cli(argv, { cwd: dir });
      expect(run.stdout + run.stderr).not.toContain('native code');
      expect(run.code).toBe(argv[2] === 'valueOf' ? 2 : 0);
    }
  }, 60_000);
});
