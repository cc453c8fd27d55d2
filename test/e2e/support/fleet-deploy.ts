/**
 * What the end-to-end tests share: the CLI run as users run it, example fleets without what the test
 * driver cannot take (uploads), synthesis pointed at the private daemons, and apply + an empty re-plan.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { terraformId } from '../../../constructs/terraform-id';
import type { DaemonSet } from './libvirt-daemon';
import type { TerraformRunner } from './terraform';

export const REPO = new URL('../../..', import.meta.url).pathname;
const CLI = join(REPO, 'bin/hyperplan.js');
export const APPLY_TIMEOUT_MS = 900_000;

export type FleetDocument = Record<string, unknown> & {
  hosts: Array<Record<string, unknown>>;
  vms: Array<Record<string, unknown> & { disks?: Array<Record<string, unknown>> }>;
};

export interface SynthSummary {
  readonly stacks: ReadonlyArray<{ readonly name: string; readonly file: string; readonly hosts: readonly string[] }>;
}

export function hyperplan(args: readonly string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '' } });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** The fleet without what the provider would upload (see the header). */
export function withoutUploads(fleet: FleetDocument): FleetDocument {
  const { images: _images, ...rest } = fleet;
  return {
    ...rest,
    vms: fleet.vms.map(({ cloudInit: _cloudInit, ...vm }) => ({ ...vm, disks: vm.disks?.map(({ image: _image, ...disk }) => disk) })),
  } as FleetDocument;
}

export function readFleet(path: string): FleetDocument {
  return parse(readFileSync(path, 'utf8')) as FleetDocument;
}

/** Synthesizes `fleet` into `dir/out` with the real CLI; the stacks' provider URIs then point at the daemons. */
export function synthesize(fleet: FleetDocument, dir: string, daemons: DaemonSet, extraArgs: readonly string[] = []): SynthSummary {
  writeFileSync(join(dir, 'fleet.yaml'), stringify(fleet));
  const synth = hyperplan(['synth', 'fleet.yaml', '--out', 'out', '--quiet', ...extraArgs], dir);
  expect(synth.status, synth.stderr).toBe(0);
  return pointAtDaemons(fleet, join(dir, 'out'), daemons);
}

/** Rewrites each stack's provider URIs under `out` to the daemon serving that host. */
export function pointAtDaemons(fleet: FleetDocument, out: string, daemons: DaemonSet): SynthSummary {
  const hostOfAlias = new Map(fleet.hosts.map((h) => [terraformId(String(h.name)), String(h.name)]));
  const stacks: Array<SynthSummary['stacks'][number]> = [];
  for (const stackName of listStacks(out)) {
    const file = join(out, 'stacks', stackName, 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { provider: { libvirt: Array<{ alias: string; uri: string }> } };
    const hosts: string[] = [];
    for (const provider of json.provider.libvirt) {
      const host = hostOfAlias.get(provider.alias);
      const daemon = host === undefined ? undefined : daemons.hosts.get(host);
      if (host === undefined || daemon === undefined) throw new Error(`provider alias ${provider.alias} names no fleet host`);
      provider.uri = daemon.providerUri;
      hosts.push(host);
    }
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    stacks.push({ name: stackName, file, hosts });
  }
  return { stacks };
}

/** Stack names from cdktf's manifest, as `cdktf deploy` finds them. */
export function listStacks(out: string): string[] {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
  return Object.keys(manifest.stacks).sort();
}

/** Applies every stack and proves idempotence: the second plan has nothing to do (exit 0 with -detailed-exitcode). */
export function applyAndReplan(terraform: TerraformRunner, summary: SynthSummary): void {
  for (const stack of summary.stacks) {
    const dir = join(stack.file, '..');
    terraform.expect(dir, ['init', '-input=false', '-no-color']);
    terraform.expect(dir, ['validate', '-no-color']);
    terraform.expect(dir, ['plan', '-input=false', '-no-color', '-out=first.plan']);
    terraform.expect(dir, ['apply', '-input=false', '-no-color', 'first.plan']);
    const again = terraform.run(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode']);
    expect(again.status, `${stack.name}: the plan after apply is not empty\n${again.stdout.slice(-6000)}${again.stderr}`).toBe(0);
  }
}

