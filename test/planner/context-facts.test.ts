/**
 * planner/context.ts: the facts a context derives from the fleet alone are built once per fleet, so
 * `check` (place, then the failure simulator of MIG-RESERVE-SURVIVAL and PLC-ZONE-LOSS-ANTI-AFFINITY)
 * sorts the hosts and VMs and computes their demands once; the strategy and the lock stay per context.
 */
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../planner/context';
import { FailureSimulator } from '../../planner/failure';
import { runPlan } from '../../planner/plan';
import { fleet, GiB, host, pool, vm } from './fixtures';

const parts = {
  hosts: [host('k2'), host('k1'), host('k3')],
  migrationPools: [pool('p', ['k1', 'k2', 'k3'], { reserve: 'n+1' as const })],
  vms: [vm('b', { vcpus: 4, memoryMiB: 8 * GiB, migrationPool: 'p' }), vm('a', { vcpus: 2, memoryMiB: 4 * GiB, migrationPool: 'p' })],
};

describe('buildContext', () => {
  it('shares one set of fleet facts between the contexts of a fleet, whatever their strategy and lock', () => {
    const f = fleet(parts);
    const plain = buildContext(f);
    const locked = buildContext(f, { strategy: 'pack', locked: { b: 'k3' } });
    expect(locked.vms).toBe(plain.vms);
    expect(locked.hosts).toBe(plain.hosts);
    expect(locked.vmIndex).toBe(plain.vmIndex);
    expect(locked.hostIndex).toBe(plain.hostIndex);
    // The options stay the context's own.
    expect(plain.strategy).toBe('spread');
    expect(locked.strategy).toBe('pack');
    expect([...plain.lockedHost]).toEqual([-1, -1]);
    expect([...locked.lockedHost]).toEqual([-1, plain.hostIndex.get('k3')]);
    expect(plain.vms.map((v) => v.vm.name)).toEqual(['a', 'b']);
    expect(plain.hosts.map((h) => h.host.name)).toEqual(['k1', 'k2', 'k3']);
  });

  it('builds its own facts for another fleet, even one with equal content', () => {
    const first = fleet(parts);
    const second = fleet(parts);
    const a = buildContext(first);
    const b = buildContext(second);
    expect(b.vms).not.toBe(a.vms);
    expect(b.fleet).toBe(second);
    expect(b.vms.map((v) => v.vm)).toEqual(second.vms.slice().reverse());
  });

  it('lets the failure simulator of a placement reuse the facts the plan built', () => {
    const f = fleet(parts);
    const run = runPlan(f);
    const simulator = new FailureSimulator(f, run.result.placements);
    expect(simulator.ctx.vms).toBe(run.ctx.vms);
    expect(simulator.ctx.hosts).toBe(run.ctx.hosts);
    // The simulator's context carries no lock: its restarts are not drawn to a VM's locked host.
    expect([...simulator.ctx.lockedHost].every((h) => h === -1)).toBe(true);
  });
});
