/**
 * The command-line contract of DESIGN.md, statement by statement, where an audit found the CLI short of it:
 *
 *   "`hyperplan <command> [fleet] [options]`; exit 0 = clean, 1 = findings of severity error (or unplaceable
 *    VMs), 2 = bad input or usage. Every command has `--help`; `--format text|json` at least; JSON goes to
 *    stdout only."
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/index';
import { cli } from '../support/cli';

const ROOT = new URL('../..', import.meta.url).pathname;
const XEN_XML = join(ROOT, 'test/fixtures/libvirt/xen-pvh.xml');

const FLEET = `apiVersion: hyperplan/v1
hosts:
  - { name: kvm-a1, hypervisor: kvm, uri: qemu+ssh://root@kvm-a1/system, cpus: 16, memory: 64GiB, reserved: { memory: 4GiB, cpus: 2 } }
  - { name: kvm-a2, hypervisor: kvm, uri: qemu+ssh://root@kvm-a2/system, cpus: 16, memory: 64GiB, reserved: { memory: 4GiB, cpus: 2 } }
networks: [{ name: prod, mode: bridge, bridge: br0 }]
pools: [{ name: images, type: dir, path: /var/lib/libvirt/images }]
vms:
  - { name: web-1, vcpus: 2, memory: 4GiB, disks: [{ size: 10GiB, pool: images }], networks: [prod] }
`;

/** XEN-VIRTIO-DEVICE (an error): a virtio disk on a Xen guest stops synthesis. */
const POLICY_ERROR_FLEET = `apiVersion: hyperplan/v1
hosts:
  - { name: xen-s1, hypervisor: xen, uri: xen+ssh://root@xen-s1/system, cpus: 16, memory: 64GiB, dom0: { memory: 4GiB, vcpus: 2, pin: true, balloon: false } }
networks: [{ name: prod, mode: bridge, bridge: br0 }]
pools: [{ name: images, type: dir, path: /var/lib/libvirt/images }]
vms:
  - { name: vault-1, vcpus: 2, memory: 4GiB, hypervisor: xen, guestType: pvh, disks: [{ size: 10GiB, pool: images, bus: virtio }], networks: [prod] }
`;

describe('DESIGN.md command-line contract', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hyperplan-design-cli-'));
    writeFileSync(join(dir, 'fleet.yaml'), FLEET);
    writeFileSync(join(dir, 'policy-error.yaml'), POLICY_ERROR_FLEET);
    copyFileSync(XEN_XML, join(dir, 'domain.xml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (argv: string[]) => cli(argv, { cwd: dir });

  // "Every command has `--help`; `--format text|json` at least".
  it.each(commands.map((c) => c.name))('%s declares --format', (name) => {
    const command = commands.find((c) => c.name === name)!;
    expect(command.options.format).toEqual({ type: 'string' });
    expect(command.help).toContain('--format');
  });

  it('synth --format json: what was written, on stdout only; the same files as text', async () => {
    const result = await run(['synth', 'fleet.yaml', '--out', 'out-json', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { written: boolean; stacks: { name: string; kind: string; file: string; vms: number }[]; findings: Record<string, number> };
    expect(json.written).toBe(true);
    expect(json.stacks).toEqual([expect.objectContaining({ name: 'kvm', kind: 'kvm', file: join('out-json', 'stacks/kvm/cdk.tf.json'), vms: 1 })]);
    expect(Object.keys(json.findings)).toEqual(['error', 'warning', 'info']);
    const text = await run(['synth', 'fleet.yaml', '--out', 'out-text', '--format', 'text']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('wrote out-text: 1 stack(s)');
    expect(readFileSync(join(dir, 'out-json/stacks/kvm/cdk.tf.json'), 'utf8')).toBe(readFileSync(join(dir, 'out-text/stacks/kvm/cdk.tf.json'), 'utf8'));
  });

  it('synth --format json at the policy gate: exit 1, the errors as check reports them, nothing written', async () => {
    const result = await run(['synth', 'policy-error.yaml', '--out', 'gated', '--format', 'json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { written: boolean; findings: { ruleId: string; severity: string; target: string; location: unknown }[] };
    expect(json.written).toBe(false);
    expect(json.findings).toEqual([
      expect.objectContaining({ ruleId: 'XEN-VIRTIO-DEVICE', severity: 'error', target: 'vms[vault-1].disks[0]', location: expect.objectContaining({ file: expect.stringMatching(/policy-error\.yaml$/), line: 7 }) }),
    ]);
  });

  it('schema --format json and --format text print the JSON Schema', async () => {
    const plain = await run(['schema']);
    for (const format of ['json', 'text']) {
      const result = await run(['schema', '--format', format]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(plain.stdout);
    }
    expect((JSON.parse(plain.stdout) as { $schema: string }).$schema).toContain('2020-12');
    expect((await run(['schema', '--format', 'yaml'])).code).toBe(2);
  });

  it('import --format text is the YAML fleet, --format json the same fleet as JSON', async () => {
    const yaml = await run(['import', 'domain.xml']);
    const text = await run(['import', 'domain.xml', '--format', 'text']);
    expect(text.code).toBe(yaml.code);
    expect(text.stdout).toBe(yaml.stdout);
    expect(text.stdout).toContain('apiVersion: hyperplan/v1');
    const json = await run(['import', 'domain.xml', '--format', 'json']);
    expect((JSON.parse(json.stdout) as { apiVersion: string }).apiVersion).toBe('hyperplan/v1');
  });

  it('review --format text is accepted (the Markdown review)', async () => {
    // Two synth outputs compared directly (no git), so only the format is under test.
    for (const out of ['a', 'b']) expect((await run(['synth', 'fleet.yaml', '--out', out])).code).toBe(0);
    const markdown = await run(['review', '--base-dir', 'a', '--head-dir', 'b']);
    const text = await run(['review', '--base-dir', 'a', '--head-dir', 'b', '--format', 'text']);
    expect(text.code, text.stderr).toBe(markdown.code);
    expect(text.stdout).toBe(markdown.stdout);
  });

  // "`hyperplan <command> [fleet] [options]`": the fleet argument may be left out (fleet.yaml here).
  it.each([
    ['plan', '--format', 'json'],
    ['check', '--format', 'json'],
    ['explain', 'web-1', '--format', 'json'],
    ['drain', 'kvm-a1', '--format', 'json'],
    ['simulate', '--fail', 'kvm-a1', '--format', 'json'],
    ['maintenance', '--hosts', 'kvm-a1', '--format', 'json'],
  ])('%s without a fleet argument reads fleet.yaml in the working directory', async (...argv) => {
    const implicit = await run(argv);
    const [command, ...rest] = argv;
    const explicit = await run([command!, 'fleet.yaml', ...rest]);
    expect(implicit.code, implicit.stderr).toBe(explicit.code);
    expect(implicit.stdout).toBe(explicit.stdout);
    expect(() => JSON.parse(implicit.stdout) as unknown).not.toThrow();
  });

  it('without a fleet argument, fleet.yaml or HYPERPLAN_FLEET, the command is a usage error (exit 2)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'hyperplan-no-fleet-'));
    try {
      const result = await cli(['plan'], { cwd: empty });
      expect(result).toMatchObject({ code: 2, stderr: 'hyperplan: plan: no fleet file given, no fleet.yaml here and HYPERPLAN_FLEET is not set\n' });
      const fromEnv = await cli(['check', '--format', 'json'], { cwd: empty, env: { HYPERPLAN_FLEET: join(dir, 'fleet.yaml') } });
      expect(fromEnv.code, fromEnv.stderr).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  // "every error names `file:line:column`": '.' (a directory) names itself, never an empty file name.
  it('a directory given as the fleet is located bad input naming it', async () => {
    const result = await cli(['plan', '.'], { cwd: ROOT });
    expect(result).toMatchObject({ code: 2, stderr: '.:1:1: cannot read the fleet file (EISDIR)\n' });
  });
});
