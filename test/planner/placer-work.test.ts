/**
 * How much work the placer does to rank hosts, counted in host scorings rather than timed (the count is
 * the same on any machine): before the kept host rankings (planner/host-ranking.ts), every VM scored each
 * of its candidate hosts, and every headroom refusal scored them all again; now a host is scored again only
 * when its contents changed since the ranking was last asked; and a host the headroom guard refused stays
 * out of the ranking for the VMs after it that the guard would refuse alike, so they are not offered it
 * again. `npm run bench -- --sizes 1000` times it.
 */
import { describe, expect, it, vi } from 'vitest';
import { BENCH_SEED, generateFleet } from '../../bench/generate-fleet';
import { loadFleetFromString } from '../../fleet/index';
import { HeadroomGuard } from '../../planner/headroom-guard';
import { place } from '../../planner/plan';

const counted = vi.hoisted(() => ({ scorings: 0 }));

// Every host score the placer computes goes through one of the module's two exports (the weighers'
// own calls between themselves do not).
vi.mock('../../planner/weighers', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../planner/weighers')>();
  return {
    ...actual,
    totalScore: (...args: Parameters<typeof actual.totalScore>) => {
      counted.scorings += 1;
      return actual.totalScore(...args);
    },
    demandScore: (...args: Parameters<typeof actual.demandScore>) => {
      counted.scorings += 1;
      return actual.demandScore(...args);
    },
  };
});

function planBench(hosts: number, vms: number) {
  const loaded = loadFleetFromString(generateFleet({ hosts, vms, seed: BENCH_SEED, strategy: 'pack' }).text, 'placer-work.yaml');
  if (!loaded.ok) throw new Error(loaded.problems[0]?.message);
  counted.scorings = 0;
  const result = place(loaded.fleet);
  return { result, scorings: counted.scorings };
}

describe('placer work', () => {
  it('scores hosts fewer than 20,000 times for the 4,000 VMs of the 200-host bench fleet (14,825 now; 113,147 before the kept rankings, 2.8 million at 1,000 hosts where 70,026 now)', () => {
    const { result, scorings } = planBench(200, 4_000);
    expect(result.unplaced).toEqual([]);
    expect(Object.keys(result.placements)).toHaveLength(4_000);
    expect(scorings).toBeGreaterThan(0);
    expect(scorings).toBeLessThan(20_000);
  });

  it('asks the headroom guard fewer than 11,000 times for the 4,000 VMs of the 200-host bench fleet (8,592 now; 19,727 when each VM was offered again the pool hosts the guard had refused alike for the VM before it)', () => {
    const questions = vi.spyOn(HeadroomGuard.prototype, 'keepsHeadroom');
    try {
      const { result } = planBench(200, 4_000);
      expect(result.unplaced).toEqual([]);
      expect(result.pools.every((p) => p.satisfied)).toBe(true);
      expect(questions.mock.calls.length).toBeGreaterThan(4_000);
      expect(questions.mock.calls.length).toBeLessThan(11_000);
    } finally {
      questions.mockRestore();
    }
  });
});
