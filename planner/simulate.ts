/**
 * `hyperplan simulate`: the failure sets a request names (a host, a zone, or every set of N hosts) and
 * their scenarios (failure.ts), worst first. `any:N` enumerates every N-set up to a limit and above it
 * draws a seeded sample, so the same seed gives the same sets.
 */
import type { Fleet } from '../fleet/model';
import { FailureSimulator, type FailureScenario } from './failure';
import { mulberry32 } from './random';

export type FailureRequest =
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'zone'; readonly zone: string }
  | { readonly kind: 'any'; readonly size: number };

/** Above this many N-sets, `any:N` samples instead of enumerating (any:1 of 1,000 hosts is enumerated). */
export const DEFAULT_ENUMERATION_LIMIT = 5_000;
/** Sets drawn when sampling. */
export const DEFAULT_SAMPLES = 1_000;
export const DEFAULT_SEED = 1;

export interface SimulateOptions {
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** @default DEFAULT_SAMPLES */
  readonly samples?: number;
  /** @default DEFAULT_ENUMERATION_LIMIT */
  readonly enumerationLimit?: number;
}

export interface Sampling {
  /** How many N-sets exist. */
  readonly sets: number;
  /** How many distinct sets were drawn and simulated. */
  readonly samples: number;
  readonly seed: number;
}

export interface Simulation {
  /** Worst first: most VMs lost, then a broken reserve, then least spare memory, then set order. */
  readonly scenarios: readonly FailureScenario[];
  readonly worst: { readonly failed: readonly string[]; readonly lost: number };
  /** Present when `any:N` sampled rather than enumerated. */
  readonly sampling?: Sampling;
}

export type SimulationResult = { readonly ok: true; readonly simulation: Simulation } | { readonly ok: false; readonly problem: string };


/** C(n, k) as a float (exact while it stays below 2^53, which every compared limit does). */
export function combinations(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** Every k-subset of 0..n-1 in lexicographic order. */
function enumerate(n: number, k: number): number[][] {
  const sets: number[][] = [];
  const current: number[] = [];
  const walk = (start: number): void => {
    if (current.length === k) {
      sets.push([...current]);
      return;
    }
    for (let i = start; i <= n - (k - current.length); i++) {
      current.push(i);
      walk(i + 1);
      current.pop();
    }
  };
  walk(0);
  return sets;
}

/** `count` distinct k-subsets of 0..n-1 drawn with `seed`, in lexicographic order. */
export function sampleSets(n: number, k: number, count: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const seen = new Map<string, number[]>();
  const target = Math.min(count, combinations(n, k));
  // Distinct draws get rare only when `count` nears C(n, k); the attempt cap keeps that case bounded.
  for (let attempt = 0; seen.size < target && attempt < target * 20; attempt++) {
    const picked = new Set<number>();
    while (picked.size < k) picked.add(Math.floor(random() * n));
    const set = [...picked].sort((a, b) => a - b);
    const key = set.join(',');
    if (!seen.has(key)) seen.set(key, set);
  }
  return [...seen.values()].sort((a, b) => {
    for (let i = 0; i < k; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
}

function worse(a: FailureScenario, b: FailureScenario): number {
  return b.lost.length - a.lost.length || b.broken.length - a.broken.length || a.spare.memoryMiB - b.spare.memoryMiB || a.spare.cpu - b.spare.cpu;
}

/** Runs the scenarios `request` names against `placements` (VM name → host, the current plan). */
export function simulateFailures(
  fleet: Fleet,
  placements: Readonly<Record<string, string>>,
  request: FailureRequest,
  options: SimulateOptions = {},
): SimulationResult {
  const simulator = new FailureSimulator(fleet, placements);
  const hosts = simulator.hostNames();
  let sets: string[][];
  let sampling: Sampling | undefined;
  if (request.kind === 'host') {
    if (!hosts.includes(request.host)) return { ok: false, problem: `no host named ${request.host} in the fleet` };
    sets = [[request.host]];
  } else if (request.kind === 'zone') {
    const inZone = fleet.hosts.filter((h) => h.zone === request.zone).map((h) => h.name).sort();
    if (inZone.length === 0) {
      const zones = [...new Set(fleet.hosts.flatMap((h) => (h.zone === undefined ? [] : [h.zone])))].sort();
      return { ok: false, problem: `no host is in zone ${request.zone} (zones: ${zones.join(', ') || 'none declared'})` };
    }
    sets = [inZone];
  } else {
    const { size } = request;
    if (hosts.length < 2) {
      return { ok: false, problem: `any:${size} takes hosts away and keeps at least one, so it needs a fleet of 2 or more hosts (this one has ${hosts.length})` };
    }
    if (!Number.isInteger(size) || size < 1 || size >= hosts.length) {
      return { ok: false, problem: `any:${size} needs a whole number from 1 to ${hosts.length - 1} (the fleet has ${hosts.length} hosts)` };
    }
    const total = combinations(hosts.length, size);
    const limit = options.enumerationLimit ?? DEFAULT_ENUMERATION_LIMIT;
    const picked = total <= limit ? enumerate(hosts.length, size) : sampleSets(hosts.length, size, options.samples ?? DEFAULT_SAMPLES, options.seed ?? DEFAULT_SEED);
    if (total > limit) sampling = { sets: total, samples: picked.length, seed: options.seed ?? DEFAULT_SEED };
    sets = picked.map((set) => set.map((i) => hosts[i]!));
  }
  const scenarios = sets.map((set, order) => ({ order, scenario: simulator.run(set) }));
  scenarios.sort((a, b) => worse(a.scenario, b.scenario) || a.order - b.order);
  const worst = scenarios[0]!.scenario;
  return {
    ok: true,
    simulation: {
      scenarios: scenarios.map((s) => s.scenario),
      worst: { failed: worst.failed, lost: worst.lost.length },
      ...(sampling ? { sampling } : {}),
    },
  };
}
