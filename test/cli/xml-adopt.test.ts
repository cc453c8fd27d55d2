import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as runCli, type CliResult } from '../support/cli';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'hyperplan-xml-adopt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (argv: string[]): Promise<CliResult> => runCli(argv, { cwd: work });

const HOST = 'hosts: [{ name: kvm-a, hypervisor: kvm, uri: "qemu:///system", cpus: 8, memory: 32GiB }]\n';

describe('xml --validate with nothing to validate', () => {
  it('a fleet without VMs renders 0 domains: says so and exits 1, never a silent 0', async () => {
    writeFileSync(join(work, 'empty.yaml'), `apiVersion: hyperplan/v1\n${HOST}`);
    const { code, stdout: out } = await cli(['xml', 'empty.yaml', '--out', 'xml-empty', '--validate']);
    expect(code).toBe(1);
    expect(out).toMatch(/^error: no domain was rendered \(the fleet has 0 placed VM\(s\)\), so no domain was validated$/m);
  });

  it('a fleet whose VMs cannot be placed (no host) stops with exit 1 and names the VM', async () => {
    writeFileSync(join(work, 'nohost.yaml'), 'apiVersion: hyperplan/v1\nvms: [{ name: a, vcpus: 1, memory: 1GiB }]\n');
    const { code, stderr: err } = await cli(['xml', 'nohost.yaml', '--out', 'xml-nohost', '--validate']);
    expect(code).toBe(1);
    expect(err).toMatch(/PLC-UNPLACED vms\[a\]: a could not be placed: no hosts/);
  });
});

describe('synth --adopt', () => {
  it('needs the UUIDs import --from writes into the lock file', async () => {
    writeFileSync(join(work, 'fleet.yaml'), `apiVersion: hyperplan/v1\n${HOST}vms: [{ name: a, vcpus: 1, memory: 1GiB, disks: [{ size: 1GiB, pool: images }] }]\npools: [{ name: images, type: dir, path: /var/lib/libvirt/images }]\n`);
    writeFileSync(join(work, 'hyperplan.lock.json'), '{"version": 1, "placements": {"a": "kvm-a"}}\n');
    const { code, stderr: err } = await cli(['synth', 'fleet.yaml', '--adopt', '--out', 'out']);
    expect(code).toBe(2);
    expect(err).toMatch(/--adopt needs the libvirt UUIDs that 'hyperplan import --from' writes into the lock file \(uuids\); there are none/);
  });
});
