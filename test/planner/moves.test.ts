import { describe, expect, it } from 'vitest';
import { migrationScript, moveRestarts, planMoves } from '../../planner/moves';
import { plan } from '../../planner/plan';
import { reconcile } from '../../planner/reconcile';
import { fleet, GiB, host, pool, vm } from './fixtures';

const UUID_A = '4dea22b3-1d52-d8f3-2516-782e98ab3fa0';
const UUID_B = '6695eb01-f6a4-8304-79aa-97f2502e193f';
const storage = [
  { name: 'local', type: 'dir' as const, path: '/var/lib/libvirt/images', shared: false },
  { name: 'nfs', type: 'netfs' as const, source: 'nfs1:/vms', path: '/mnt/vms', shared: true },
];
const disk = (poolName: string) => ({ sizeMiB: 10 * GiB, pool: poolName, data: false });
const hosts = [host('kvm-1'), host('kvm-2'), host('kvm-3'), host('xen-1')];
const pools = [pool('p', ['kvm-1', 'kvm-2'], { sharedStorage: 'nfs' })];

describe('planMoves: live where the rules of drain allow it, offline with the reason elsewhere', () => {
  const f = fleet({
    hosts,
    pools: storage,
    migrationPools: pools,
    vms: [
      vm('shared', { migrationPool: 'p', disks: [disk('nfs')], host: 'kvm-2' }),
      vm('local', { migrationPool: 'p', disks: [disk('local')], host: 'kvm-2' }),
      vm('outside', { disks: [disk('nfs')], host: 'kvm-3' }),
      vm('nouuid', { migrationPool: 'p', disks: [disk('nfs')], host: 'kvm-2' }),
      vm('stays', { disks: [disk('nfs')], host: 'kvm-1' }),
      vm('fresh', { disks: [disk('nfs')] }),
    ],
  });
  const lock = {
    version: 1 as const,
    placements: { shared: 'kvm-1', local: 'kvm-1', outside: 'kvm-1', nouuid: 'kvm-1', stays: 'kvm-1' },
    uuids: { shared: UUID_A, local: UUID_B, outside: UUID_A },
  };
  const moves = planMoves(f, lock, plan(f, lock));

  it('migrates a VM on shared storage with the pool transport, and copies local disks (as drain)', () => {
    expect(moves.find((m) => m.vm === 'shared')).toEqual({
      vm: 'shared', from: 'kvm-1', to: 'kvm-2', mode: 'live', uuid: UUID_A,
      command: 'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls shared qemu+ssh://root@kvm-2/system',
      afterwards: ['virsh -c qemu+ssh://root@kvm-2/system autostart shared'],
    });
    expect(moves.find((m) => m.vm === 'local')).toMatchObject({ mode: 'live', command: expect.stringContaining('--tls --copy-storage-all local ') });
  });

  it('keeps the offline path, with the reason, outside a migration pool; a UUID the lock lacks is no obstacle (the state has it)', () => {
    expect(moves.find((m) => m.vm === 'outside')).toEqual({ vm: 'outside', from: 'kvm-1', to: 'kvm-3', mode: 'offline', reason: 'kvm-1 and kvm-3 share no migration pool' });
    expect(moves.find((m) => m.vm === 'nouuid')).toEqual({
      vm: 'nouuid', from: 'kvm-1', to: 'kvm-2', mode: 'live',
      command: 'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls nouuid qemu+ssh://root@kvm-2/system',
      afterwards: ['virsh -c qemu+ssh://root@kvm-2/system autostart nouuid'],
    });
  });

  it('lists only VMs whose host changes, in name order; only offline moves restart', () => {
    expect(moves.map((m) => m.vm)).toEqual(['local', 'nouuid', 'outside', 'shared']);
    expect(moves.map(moveRestarts)).toEqual([false, false, true, false]);
    expect(planMoves(f, undefined, plan(f))).toEqual([]);
  });

  it('refuses a move across hypervisors and from a host that left the fleet', () => {
    const g = fleet({ hosts, pools: storage, migrationPools: pools, vms: [vm('v', { disks: [disk('nfs')], host: 'xen-1' })] });
    const gone = { version: 1 as const, placements: { v: 'kvm-9' }, uuids: { v: UUID_A } };
    expect(planMoves(g, { version: 1, placements: { v: 'kvm-1' }, uuids: { v: UUID_A } }, plan(g))[0]).toMatchObject({ mode: 'offline', reason: expect.stringContaining('no live migration between hypervisors') });
    expect(planMoves(g, gone, plan(g))[0]).toMatchObject({ mode: 'offline', reason: expect.stringContaining('kvm-9 is no longer in the fleet') });
  });

  it('writes one script per stack with the live moves landing on its hosts; the same moves give the same bytes', () => {
    const script = migrationScript('kvm', moves, new Set(['kvm-1', 'kvm-2', 'kvm-3']))!;
    expect(script.split('\n').filter((l) => l.includes(' migrate '))).toEqual([
      'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls --copy-storage-all local qemu+ssh://root@kvm-2/system',
      'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls nouuid qemu+ssh://root@kvm-2/system',
      'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls shared qemu+ssh://root@kvm-2/system',
    ]);
    expect(script).toContain(`# shared: kvm-1 -> kvm-2 (domain ${UUID_A})`);
    // Autostart is host state the migration does not carry: set again on the new host right after.
    expect(script).toContain('shared qemu+ssh://root@kvm-2/system\nvirsh -c qemu+ssh://root@kvm-2/system autostart shared\n');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(migrationScript('kvm', [...moves].reverse(), new Set(['kvm-1', 'kvm-2', 'kvm-3']))).toBe(script);
    expect(migrationScript('xen', moves, new Set(['xen-1']))).toBeUndefined();
  });
});

describe('reconcile: observed hosts into the lock when the rules accept them', () => {
  const f = fleet({
    hosts,
    pools: storage,
    migrationPools: pools,
    vms: [vm('a', { migrationPool: 'p', disks: [disk('nfs')] }), vm('b', { disks: [disk('nfs')], host: 'kvm-1' }), vm('c', { disks: [disk('nfs')] })],
  });
  const lock = { version: 1 as const, placements: { a: 'kvm-1', b: 'kvm-1', c: 'kvm-2' } };

  it('takes an accepted host and every UUID seen; the old placement stays the start of the moves', () => {
    const result = reconcile(f, lock, [
      { vm: 'a', host: 'kvm-2', uuid: UUID_A },
      { vm: 'c', host: 'kvm-2', uuid: UUID_B },
    ]);
    expect(result.lock.placements).toEqual({ a: 'kvm-2', b: 'kvm-1', c: 'kvm-2' });
    expect(result.lock.uuids).toEqual({ a: UUID_A, c: UUID_B });
    expect(result.current.placements).toEqual(lock.placements);
    expect(result.conflicts).toEqual([]);
    const moves = planMoves(f, result.current, plan(f, result.lock), { observed: new Set(['a']) });
    expect(moves).toEqual([{ vm: 'a', from: 'kvm-1', to: 'kvm-2', mode: 'observed', uuid: UUID_A }]);
  });

  it('reports a host the placement rules refuse (a pin) and a VM defined on two hosts, keeping their lock entries', () => {
    const result = reconcile(f, lock, [
      { vm: 'b', host: 'kvm-3', uuid: UUID_A },
      { vm: 'c', host: 'kvm-2', uuid: UUID_B },
      { vm: 'c', host: 'kvm-3', uuid: UUID_B },
    ]);
    expect(result.lock.placements).toEqual(lock.placements);
    expect(result.conflicts).toEqual([
      { vm: 'b', observed: ['kvm-3'], planned: 'kvm-1', reason: expect.stringMatching(/^the placement rules do not accept kvm-3: .*pinned/) },
      { vm: 'c', observed: ['kvm-2', 'kvm-3'], reason: 'defined on kvm-2 and kvm-3; undefine the stale copy first' },
    ]);
  });
});
