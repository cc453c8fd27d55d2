/**
 * Dependencies point down only (cli → pipeline → review, libvirt → stacks → constructs → policies →
 * planner → fleet → io; DESIGN.md "Layers"), and no file imports itself through a cycle.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importEdges, layerOf, sourceFiles, upwardImports, type ImportEdge } from './import-graph';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the repository', () => {
  const edges = importEdges(ROOT);

  it('reads a real graph: every source file is in a layer, and the graph has the edges we know', () => {
    const files = sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(150);
    expect(files.filter((f) => layerOf(f) === undefined)).toEqual([]);
    expect(edges).toContainEqual({ from: 'cli/commands/synth.ts', to: 'pipeline/synth.ts' });
    expect(edges).toContainEqual({ from: 'pipeline/synth.ts', to: 'stacks/fleet-app.ts' });
  });

  it('has no import that points up a layer', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('has no file cycle but the known ones', () => {
    expect(importCycles(edges)).toEqual([]);
  });
});

describe('the checker', () => {
  it('catches a deliberately wrong import: a lower layer importing a higher one', () => {
    const wrong: ImportEdge[] = [
      { from: 'cli/commands/synth.ts', to: 'pipeline/synth.ts' },
      { from: 'stacks/fleet-app.ts', to: 'cli/fleet-inputs.ts' },
      { from: 'review/reduce.ts', to: 'stacks/fleet-app.ts' },
      { from: 'fleet/model.ts', to: 'fleet/vocabulary.ts' },
      { from: 'planner/plan.ts', to: 'policies/engine.ts' },
    ];
    expect(upwardImports(wrong)).toEqual([
      'stacks/fleet-app.ts (stacks) imports cli/fleet-inputs.ts (cli), a layer above it',
      'planner/plan.ts (planner) imports policies/engine.ts (policies), a layer above it',
    ]);
  });

  it('places the provider schema files with the bindings and the schema scripts on top', () => {
    expect(upwardImports([{ from: 'review/resource-diff.ts', to: 'schema/snapshot.ts' }])).toEqual([]);
    expect(upwardImports([{ from: 'review/resource-diff.ts', to: 'schema/conformance.ts' }])).toHaveLength(1);
  });

  it('reports a file in no layer', () => {
    expect(upwardImports([{ from: 'utils/x.ts', to: 'io/errors.ts' }])).toEqual(['utils/x.ts: in no layer (add its folder to LAYERS)']);
  });

  it('finds cycles, long and self-made, and not a diamond', () => {
    const cycle: ImportEdge[] = [
      { from: 'fleet/a.ts', to: 'fleet/b.ts' },
      { from: 'fleet/b.ts', to: 'fleet/c.ts' },
      { from: 'fleet/c.ts', to: 'fleet/a.ts' },
      { from: 'io/x.ts', to: 'io/x.ts' },
      { from: 'cli/d.ts', to: 'pipeline/e.ts' },
      { from: 'cli/d.ts', to: 'review/f.ts' },
      { from: 'pipeline/e.ts', to: 'review/f.ts' },
    ];
    expect(importCycles(cycle)).toEqual([['fleet/a.ts', 'fleet/b.ts', 'fleet/c.ts'], ['io/x.ts']]);
  });
});
