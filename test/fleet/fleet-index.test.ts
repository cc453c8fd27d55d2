/** The fleet's one name → object index: built once per fleet, in fleet order, per placement for hosted VMs. */
import { describe, expect, it } from 'vitest';
import { fleetIndex, vmsByHost } from '../../fleet/fleet-index';
import { loadFleetFromString } from '../../fleet/index';
import { BASE_FLEET } from './helpers';

function fleet() {
  const loaded = loadFleetFromString(BASE_FLEET, 'fleet.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.fleet;
}

describe('fleetIndex', () => {
  it('maps every section by name and is built once per fleet', () => {
    const f = fleet();
    const index = fleetIndex(f);
    expect([...index.hosts.keys()]).toEqual(f.hosts.map((h) => h.name));
    expect(index.storagePools.get('nfs')?.type).toBe('netfs');
    expect(index.migrationPools.get('mp')?.hosts).toEqual(['kvm-1']);
    expect(index.migrationPoolsByHost.get('kvm-1')?.map((p) => p.name)).toEqual(['mp']);
    expect(index.migrationPoolsByHost.has('xen-1')).toBe(false);
    expect(fleetIndex(f)).toBe(index);
    expect(fleetIndex(fleet())).not.toBe(index);
  });

  it('groups the VMs a placement puts on each host, per placement', () => {
    const f = fleet();
    const names = f.vms.map((v) => v.name);
    const onKvm = Object.fromEntries(names.map((n) => [n, 'kvm-1']));
    expect(
      vmsByHost(f, onKvm)
        .get('kvm-1')
        ?.map((v) => v.name),
    ).toEqual(names);
    expect(vmsByHost(f, onKvm)).toBe(vmsByHost(f, onKvm));
    expect(vmsByHost(f, {}).size).toBe(0);
  });
});
