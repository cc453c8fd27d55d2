/**
 * Synthesizes a fleet the importer wrote, on hosts the test names, and renders each stack's libvirt XML as
 * the provider would send it: the round trip the importer tests (and scripts/round-trip.ts) measure.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { terraformId } from '../../constructs/terraform-id';
import type { FleetFileInput } from '../../fleet/schema';
import { renderStack, type RenderedStack, type SynthesizedStack } from '../../libvirt/render-stack';
import { synthesizeFleet } from '../../pipeline/synth';

export interface RenderedImportStack {
  readonly name: string;
  readonly json: SynthesizedStack;
  readonly rendered: RenderedStack;
}

/** Writes `fleet` with `hosts` to `dir`/fleet.yaml, synthesizes it into `dir`/synth and renders every stack. */
export async function synthesizeImported(dir: string, fleet: FleetFileInput, hosts: readonly object[]): Promise<RenderedImportStack[]> {
  mkdirSync(dir, { recursive: true });
  const fleetFile = join(dir, 'fleet.yaml');
  writeFileSync(fleetFile, stringify({ ...fleet, hosts }));
  const out = join(dir, 'synth');
  const synth = await synthesizeFleet({ fleetFile, outDir: out, env: {} });
  return synth.stacks.map((stack) => {
    const json = JSON.parse(readFileSync(join(out, stack.file), 'utf8')) as SynthesizedStack;
    const byId = new Map(stack.hosts.map((h) => [terraformId(h), h]));
    return { name: stack.name, json, rendered: renderStack(json, { hostOfAlias: (a) => byId.get(a) ?? a }) };
  });
}
