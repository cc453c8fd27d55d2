/**
 * Measures issue #15's "imported and round-tripped": every domain XML file under the given directories
 * (e.g. libvirt's tests/qemuxml2argvdata, tests/xlconfigdata) is imported alone, synthesized on a host
 * of its architecture, rendered back to XML and compared with the original on every element hyperplan
 * models (libvirt/round-trip.ts). Prints one JSON summary: files, crashes (anything but a located error
 * or a policy finding), import failures, fleets the loader rejects, syntheses stopped by policy, files
 * round-tripped (with libvirt's own defaults filled in on both sides), and the loss classes.
 *
 *   node --import tsx scripts/round-trip.ts <dir>… [--details]
 *
 * `--details` names, per differing key, the first element that differs and both values
 * (`disks[1].source.startupPolicy: "optional" ≠ undefined`), to group the losses by cause.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { terraformId } from '../constructs/terraform-id';
import { importDomains } from '../libvirt/import';
import { renderStack, type SynthesizedStack } from '../libvirt/render-stack';
import { modeledElements, roundTripDifferences, withLibvirtDefaults } from '../libvirt/round-trip';
import { InputError } from '../io/errors';
import { PolicyGateError, synthesizeFleet } from '../pipeline/synth';

interface Outcome {
  readonly file: string;
  readonly result: 'not a domain' | 'crash' | 'import failed' | 'fleet rejected' | 'stopped by policy' | 'not rendered' | 'round-tripped' | 'differs';
  readonly detail?: string;
  /** The modeled keys that differ. */
  readonly losses?: readonly string[];
}

/** A KVM host of the guest's architecture (KVM runs guests of its host's) and an x86 Xen host. */
function hostsFor(arch: string | undefined): object[] {
  const hostArch = arch === undefined || arch === 'i686' ? undefined : arch === 'ppc64' ? 'ppc64le' : arch;
  return [
    { name: 'kvm-import', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-import/system', cpus: 4096, memory: '64TiB', ...(hostArch ? { arch: hostArch } : {}) },
    { name: 'xen-import', hypervisor: 'xen', uri: 'xen+ssh://root@xen-import/system', cpus: 4096, memory: '64TiB' },
  ];
}

/** Imported VNC consoles listen on 0.0.0.0 without their password; that finding is not about the XML. */
const POLICY = 'suppressions:\n  - rule: SEC-GRAPHICS-OPEN\n    reason: round-trip measurement of imported test domains\n';

/** The first path below `path` where `a` and `b` differ, with both values; undefined when they are equal. */
function firstDifference(path: string, a: unknown, b: unknown): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const found = firstDifference(Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
      if (found !== undefined) return found;
    }
  }
  return `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

async function roundTrip(file: string, work: string, details: boolean): Promise<Outcome> {
  const text = readFileSync(file, 'utf8');
  let original;
  try {
    original = modeledElements(text);
  } catch {
    return { file, result: 'not a domain' };
  }
  const imported = importDomains([{ file, text }]);
  const vm = imported.fleet.vms?.[0];
  if (imported.failures.length > 0 || vm === undefined) return { file, result: 'import failed', detail: imported.failures[0]?.message };
  const dir = mkdtempSync(join(work, 'f-'));
  try {
    const fleetFile = join(dir, 'fleet.yaml');
    writeFileSync(fleetFile, stringify({ ...imported.fleet, hosts: hostsFor(vm.arch) }));
    writeFileSync(join(dir, 'hyperplan.policy.yaml'), POLICY);
    const out = join(dir, 'out');
    const synth = await synthesizeFleet({ fleetFile, outDir: out, env: {} });
    let xml: string | undefined;
    for (const stack of synth.stacks) {
      const hosts = new Map(stack.hosts.map((h) => [terraformId(h), h]));
      const json = JSON.parse(readFileSync(join(out, stack.file), 'utf8')) as SynthesizedStack;
      for (const rendered of renderStack(json, { hostOfAlias: (a) => hosts.get(a) ?? a }).files) if (rendered.kind === 'domain') xml = rendered.xml;
    }
    if (xml === undefined) return { file, result: 'not rendered' };
    const back = modeledElements(xml);
    const differing = roundTripDifferences(original, back);
    const detail = details
      ? differing.map((key) => firstDifference(key, withLibvirtDefaults(original)[key], withLibvirtDefaults(back)[key])).join(' | ')
      : differing.join(',');
    return { file, result: differing.length === 0 ? 'round-tripped' : 'differs', detail, losses: differing };
  } catch (error) {
    if (error instanceof PolicyGateError) return { file, result: 'stopped by policy', detail: error.errors.map((e) => e.ruleId).join(',') };
    if (error instanceof InputError) return { file, result: 'fleet rejected', detail: error.message };
    return { file, result: 'crash', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const dirs = argv.filter((a) => !a.startsWith('--'));
  if (dirs.length === 0) throw new Error('usage: node --import tsx scripts/round-trip.ts <dir>…');
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.xml')).sort().map((f) => join(d, f)));
  const work = mkdtempSync(join(tmpdir(), 'hyperplan-round-trip-'));
  mkdirSync(work, { recursive: true });
  const outcomes: Outcome[] = [];
  try {
    for (const file of files) outcomes.push(await roundTrip(file, work, argv.includes('--details')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const count = (result: Outcome['result']): number => outcomes.filter((o) => o.result === result).length;
  const domains = outcomes.length - count('not a domain');
  const roundTripped = count('round-tripped');
  const losses = new Map<string, number>();
  for (const o of outcomes) for (const key of o.losses ?? []) losses.set(key, (losses.get(key) ?? 0) + 1);
  const summary = {
    files: outcomes.length,
    domains,
    crashes: outcomes.filter((o) => o.result === 'crash').map((o) => `${o.file}: ${o.detail}`),
    importFailed: count('import failed'),
    fleetRejected: count('fleet rejected'),
    stoppedByPolicy: count('stopped by policy'),
    roundTripped,
    differs: count('differs'),
    roundTrippedPercent: Math.round((1000 * roundTripped) / Math.max(domains, 1)) / 10,
    losses: Object.fromEntries([...losses].sort((a, b) => b[1] - a[1])),
    notRoundTripped: outcomes.filter((o) => o.result !== 'round-tripped' && o.result !== 'not a domain').map((o) => `${o.file}: ${o.result}${o.detail ? ` (${o.detail.split('\n')[0]})` : ''}`),
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

await main(process.argv.slice(2));
