import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, TerraformDataSource, TerraformResource, type TerraformStack, TokenMap } from '../../constructs/cdk-engine';
import { loadFleet } from '../../fleet/index';
import { stackSpecs } from '../../fleet/stack-specs';
import type { Fleet } from '../../fleet/model';
import { plan } from '../../planner/plan';
import { evaluatePolicies } from '../../policies/engine';
import { listFiles } from '../../pipeline/synth';
import { StackSynthesisError, synthesisOrder, synthesizeStackByStack } from '../../pipeline/stack-by-stack';
import { withoutCreationStacks } from '../../stacks/creation-stacks';
import { buildFleetApp, fleetStackBuilders } from '../../stacks/fleet-app';

// cdktf's own stack synthesizer (cdktf 0.21 lib/synthesize/synthesizer.js), which FleetStack replaces.
type EngineSynthesizer = new (stack: TerraformStack, continueOnErrorAnnotations?: boolean, hclOutput?: boolean) => TerraformStack['synthesizer'];
const cdktfRequire = createRequire(createRequire(import.meta.url).resolve('cdktf'));
const { StackSynthesizer } = cdktfRequire('./synthesize/synthesizer.js') as { StackSynthesizer: EngineSynthesizer };

const scratch = mkdtempSync(join(tmpdir(), 'hyperplan-stack-by-stack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const filesOf = (dir: string): Record<string, string> => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

function loaded(file: string): Fleet {
  const result = loadFleet(file);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.fleet;
}

/** The whole app synthesized by `app.synth()`, with cdktf's synthesizer or FleetStack's. */
function synthWhole(fleet: Fleet, dir: string, engine: 'cdktf' | 'fleet'): void {
  const placement = plan(fleet);
  const app = new App({ outdir: dir, hclOutput: false, stackTraces: false });
  withoutCreationStacks(() => {
    for (const stack of buildFleetApp(app, fleet, placement, evaluatePolicies(fleet, placement), { fingerprintKey: 'k'.repeat(32) })) {
      if (engine === 'cdktf') stack.synthesizer = new StackSynthesizer(stack);
    }
    app.synth();
  });
}

const tokenCount = (): number => {
  const map = TokenMap.instance() as unknown as { stringTokenMap: Map<string, unknown>; numberTokenMap: Map<number, unknown> };
  return map.stringTokenMap.size + map.numberTokenMap.size;
};

const FLEETS = ['examples/kvm/fleet.yaml', 'examples/xen/fleet.yaml', 'examples/hybrid/fleet.yaml', 'test/stacks/fixtures/small/fleet.yaml'];

describe('FleetStack synthesizer', () => {
  it.each(FLEETS)('writes for %s the bytes cdktf’s own StackSynthesizer writes', (file) => {
    const fleet = loaded(file);
    const ours = join(scratch, `ours-${file.replaceAll('/', '-')}`);
    const engine = join(scratch, `cdktf-${file.replaceAll('/', '-')}`);
    synthWhole(fleet, ours, 'fleet');
    synthWhole(fleet, engine, 'cdktf');
    const files = filesOf(ours);
    expect(Object.keys(files).some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    expect(files).toEqual(filesOf(engine));
  });
});

describe('FleetStack synthesizer, body by body', () => {
  it('renders each resource and data source body when the writer reaches it, not all ahead of writing', () => {
    const fleet = loaded('examples/hybrid/fleet.yaml');
    const placement = plan(fleet);
    const app = new App({ outdir: join(scratch, 'body-by-body'), hclOutput: false, stackTraces: false });
    const builders = fleetStackBuilders(app, fleet, placement, evaluatePolicies(fleet, placement));
    const calls: { address: string; call: number }[] = [];
    const addresses: string[][] = [];
    withoutCreationStacks(() =>
      synthesizeStackByStack(app, builders, {
        built: (stack) => {
          calls.length = 0;
          for (const element of stack.node.findAll()) {
            if (!(element instanceof TerraformResource || element instanceof TerraformDataSource)) continue;
            const address = `${element instanceof TerraformDataSource ? 'data' : 'resource'}.${element.terraformResourceType}.${element.friendlyUniqueId}`;
            const made = element.toTerraform.bind(element);
            let call = 0;
            element.toTerraform = () => (calls.push({ address, call: ++call }), made());
          }
        },
        written: () => addresses.push(calls.map((c) => `${c.call} ${c.address}`)),
      }),
    );
    expect(addresses).toHaveLength(builders.length);
    for (const stackCalls of addresses) {
      const first = stackCalls.filter((c) => c.startsWith('1 '));
      const second = stackCalls.filter((c) => c.startsWith('2 '));
      // Every body is made once for the document and once more as it is written; every second making
      // comes after the document is built, in the order the file holds the bodies (kind, type, name).
      expect(first.length).toBeGreaterThan(10);
      expect(stackCalls).toEqual([...first, ...second]);
      const order = (c: string): string[] => c.slice(2).split('.');
      const sorted = [...second].sort((a, b) => {
        const [x, y] = [order(a), order(b)];
        for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
        return 0;
      });
      expect(second).toEqual(sorted);
      expect(new Set(second.map(order).map((a) => a.join('.')))).toEqual(new Set(first.map(order).map((a) => a.join('.'))));
    }
  });
});

describe('synthesizeStackByStack', () => {
  it.each(FLEETS)('writes for %s the same files as app.synth(), and lets every stack go', (file) => {
    const fleet = loaded(file);
    const whole = join(scratch, `whole-${file.replaceAll('/', '-')}`);
    synthWhole(fleet, whole, 'fleet');

    const dir = join(scratch, `by-stack-${file.replaceAll('/', '-')}`);
    const placement = plan(fleet);
    const app = new App({ outdir: dir, hclOutput: false, stackTraces: false });
    const builders = fleetStackBuilders(app, fleet, placement, evaluatePolicies(fleet, placement), { fingerprintKey: 'k'.repeat(32) });
    const tokensBefore = tokenCount();
    const seen: string[] = [];
    const names = withoutCreationStacks(() =>
      synthesizeStackByStack(app, builders, {
        built: (stack) => seen.push(`built ${stack.node.id} (${app.node.children.length} in the app)`),
        written: (stack) => stack.node.id,
      }),
    );
    // Results in the stacks' order; built one at a time, fewest VMs first.
    expect(names).toEqual(builders.map((b) => b.name));
    const bySize = [...builders].sort((a, b) => a.vms - b.vms);
    if (file === 'test/stacks/fixtures/small/fleet.yaml') expect(bySize.map((b) => b.name)).toEqual(['xen', 'kvm']);
    // One stack in the app at a time, none left once written, and no token of theirs kept.
    expect(seen).toEqual(bySize.map(({ name }) => `built ${name} (1 in the app)`));
    expect(app.node.children).toEqual([]);
    expect(tokenCount()).toBe(tokensBefore);
    expect(filesOf(dir)).toEqual(filesOf(whole));
  });

  it('synthesizes the stack with the most VMs last, and stacks alike in the order given', () => {
    expect(synthesisOrder([{ vms: 14_341 }, { vms: 5_659 }])).toEqual([1, 0]);
    expect(synthesisOrder([{ vms: 3 }, { vms: 0 }, { vms: 3 }, { vms: 1 }])).toEqual([1, 3, 0, 2]);
    expect(synthesisOrder([])).toEqual([]);
  });

  it('counts in each builder the VMs placed on its stack’s hosts', () => {
    const fleet = loaded('test/stacks/fixtures/small/fleet.yaml');
    const placement = plan(fleet);
    const builders = fleetStackBuilders(new App({ outdir: join(scratch, 'counted') }), fleet, placement, evaluatePolicies(fleet, placement));
    const hostOf = Object.values(placement.placements);
    expect(builders.length).toBeGreaterThan(1);
    expect(builders.reduce((sum, b) => sum + b.vms, 0)).toBe(hostOf.length);
    for (const spec of stackSpecs(fleet)) {
      const hosts = new Set(spec.hosts);
      expect(builders.find((b) => b.name === spec.name)?.vms).toBe(hostOf.filter((host) => hosts.has(host)).length);
    }
  });

  it('throws a StackSynthesisError with cdktf’s validation message and writes no manifest when a stack fails', () => {
    const fleet = loaded('test/stacks/fixtures/small/unplaceable.yaml');
    const placement = plan(fleet);
    const dir = join(scratch, 'failing');
    const app = new App({ outdir: dir, hclOutput: false, stackTraces: false });
    const builders = fleetStackBuilders(app, fleet, placement, evaluatePolicies(fleet, placement));
    const error = withoutCreationStacks(() => {
      try {
        synthesizeStackByStack(app, builders, { written: (stack) => stack.node.id });
      } catch (caught) {
        return caught;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(StackSynthesisError);
    expect((error as StackSynthesisError).message).toContain('huge-1');
    expect((error as StackSynthesisError).cause).toBeInstanceOf(Error);
    expect(listFiles(dir)).not.toContain('manifest.json');
  });
});
