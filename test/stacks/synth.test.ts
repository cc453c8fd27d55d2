import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import { checkConformance } from '../../schema/conformance';
import { listFiles, loadPlaceAndCheck, PolicyGateError, synthesizeFleet } from '../../pipeline/synth';
import { loadFleet } from '../../fleet/index';

const FLEET = 'test/stacks/fixtures/small/fleet.yaml';
const UNPLACEABLE = 'test/stacks/fixtures/small/unplaceable.yaml';
const captureStackTrace = Error.captureStackTrace;
const scratch = mkdtempSync(join(tmpdir(), 'hyperplan-synth-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const snapshotOf = (dir: string): Record<string, string> => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

function io(cwd = process.cwd()) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd, env: process.env, interactive: false },
  };
}

describe('loadPlaceAndCheck', () => {
  it('hands synthesis the fleet without its source positions, while the findings keep theirs', async () => {
    const file = 'examples/hybrid/fleet.yaml';
    const loaded = loadFleet(file);
    if (!loaded.ok) throw new Error(loaded.problems[0]?.message);
    expect(Object.keys(loaded.fleet.locations).length).toBeGreaterThan(100);
    const checked = await loadPlaceAndCheck({ fleetFile: file, outDir: join(scratch, 'unused') }, () => {});
    // The locations (a lazy index over the parsed file) are what kept the parsed fleet file alive.
    expect(Object.keys(checked.fleet.locations)).toHaveLength(0);
    expect({ ...checked.fleet, locations: loaded.fleet.locations }).toEqual(loaded.fleet);
    expect(checked.findings.length).toBeGreaterThan(0);
    expect(checked.findings.filter((f) => f.location !== undefined).every((f) => f.location!.file === file && f.location!.line > 0)).toBe(true);
    expect(checked.findings.some((f) => f.location !== undefined)).toBe(true);
  });
});

describe('synthesizeFleet', () => {
  it('writes the stacks, manifest and host preparation, identical bytes for two runs into different directories', async () => {
    const a = join(scratch, 'a');
    const b = join(scratch, 'nested', 'b');
    const summary = await synthesizeFleet({ fleetFile: FLEET, outDir: a });
    await synthesizeFleet({ fleetFile: FLEET, outDir: b });
    expect(listFiles(a)).toEqual([
      'host-prep/kvm-a1.sh', 'host-prep/kvm-a2.sh', 'host-prep/xen-s1.sh',
      'manifest.json', 'stacks/kvm/cdk.tf.json', 'stacks/xen/cdk.tf.json',
    ]);
    expect(snapshotOf(b)).toEqual(snapshotOf(a));
    expect(summary.stacks.map((s) => [s.name, s.kind, s.hosts, s.vms])).toEqual([
      ['kvm', 'kvm', ['kvm-a1', 'kvm-a2'], 3],
      ['xen', 'xen', ['xen-s1'], 1],
    ]);
    for (const stack of summary.stacks) {
      const text = readFileSync(join(a, stack.file), 'utf8');
      expect(text).not.toContain(scratch);
      expect(text).not.toContain(process.cwd());
      expect(checkConformance(JSON.parse(text))).toEqual([]);
    }
    expect(readFileSync(join(a, 'host-prep/xen-s1.sh'), 'utf8')).toContain('dom0_mem=8192M,max:8192M dom0_max_vcpus=4 dom0_vcpus_pin');
    // Token creation stacks are switched off only while synthesizing.
    expect(Error.captureStackTrace).toBe(captureStackTrace);
  });

  it('stops at the policy gate and leaves the previous output directory untouched', async () => {
    const out = join(scratch, 'gate');
    mkdirSync(join(out, 'stacks'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'previous.json'), '{"kept":true}');
    const before = snapshotOf(out);
    const error = await synthesizeFleet({ fleetFile: UNPLACEABLE, outDir: out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyGateError);
    expect((error as PolicyGateError).unplaced.map((u) => u.vm)).toEqual(['huge-1']);
    expect((error as PolicyGateError).validation).toContain('huge-1');
    expect(snapshotOf(out)).toEqual(before);
    expect(listFiles(scratch).some((f) => f.includes('.tmp-'))).toBe(false);
  });
});

describe('hyperplan synth', () => {
  it('prints what it wrote and exits 0', async () => {
    const { out, io: testIo } = io();
    const dir = join(scratch, 'cli');
    expect(await run(['synth', FLEET, '--out', dir, '--quiet'], testIo)).toBe(0);
    expect(out.stdout).toContain(`wrote ${dir}: 2 stack(s)`);
    expect(out.stdout).toMatch(/stacks\/kvm\/cdk\.tf\.json {2}kvm, 2 host\(s\), 3 VM\(s\), \d+ resource\(s\)/);
    expect(out.stdout).toContain(join(dir, 'host-prep/xen-s1.sh'));
    expect(out.stderr).toBe('');
  });

  it('exits 1 listing the gate errors, 2 for a bad fleet', async () => {
    const gate = io();
    expect(await run(['synth', UNPLACEABLE, '--out', join(scratch, 'cli-gate')], gate.io)).toBe(1);
    expect(gate.out.stderr).toMatch(/synthesis stopped, .* left unchanged:\n.*PLC-UNPLACED vms\[huge-1\]/);
    const bad = io();
    expect(await run(['synth', join(scratch, 'missing.yaml'), '--out', join(scratch, 'cli-bad')], bad.io)).toBe(2);
    expect(bad.out.stderr).toContain('cannot read the fleet file');
  });
});

describe('cdktf synth', () => {
  it('writes the same cdk.tf.json and manifest bytes as hyperplan synth', async () => {
    const viaCli = join(scratch, 'cdktf-cli');
    const viaHyperplan = join(scratch, 'hyperplan');
    await promisify(execFile)('npx', ['cdktf', 'synth', '--output', viaCli], {
      env: { ...process.env, CHECKPOINT_DISABLE: '1', HYPERPLAN_FLEET: FLEET, CI: '1' },
      timeout: 170_000,
    });
    await synthesizeFleet({ fleetFile: FLEET, outDir: viaHyperplan });
    const cli = snapshotOf(viaCli);
    const ours = snapshotOf(viaHyperplan);
    expect(Object.keys(cli)).toEqual(['manifest.json', 'stacks/kvm/cdk.tf.json', 'stacks/xen/cdk.tf.json']);
    for (const file of Object.keys(cli)) expect(cli[file], file).toBe(ours[file]);
  }, 180_000);
});
