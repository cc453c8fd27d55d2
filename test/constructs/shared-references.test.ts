import { describe, expect, it } from 'vitest';
import { TerraformStack, Testing, TokenMap } from '../../constructs/cdk-engine';
import { KvmHost } from '../../constructs/kvm-host';
import { VirtualMachine } from '../../constructs/virtual-machine';
import type { Fleet, Vm } from '../../fleet/model';
import { fleet, kvmHost, resolved, resources, synthJson, vm } from './fixtures';

const catalogOf = (f: Fleet) => ({ pools: new Map(f.pools.map((p) => [p.name, p])), networks: new Map(f.networks.map((n) => [n.name, n])) });

/** Tokens in cdktf's process-wide registry (cdktf 0.21 lib/tokens/private/token-map.js). */
const tokenCount = (): number => {
  const map = TokenMap.instance() as unknown as { stringTokenMap: Map<string, unknown>; numberTokenMap: Map<number, unknown> };
  return map.stringTokenMap.size + map.numberTokenMap.size;
};

/** Tokens registered while `count` VMs (one image disk in pool images, one NIC on the NAT network lab) are added to one host. */
function tokensFor(count: number): number {
  const vms: Vm[] = Array.from({ length: count }, (_, i) => vm(`web-${i}`, { networks: [{ network: 'lab' }] }));
  const f = fleet({ vms });
  const host = new KvmHost(new TerraformStack(Testing.app(), 'shared'), 'kvm-a1', { host: kvmHost('kvm-a1'), catalog: catalogOf(f) });
  const before = tokenCount();
  for (const v of vms) new VirtualMachine(host, `vm-${v.name}`, { effective: resolved(f, v, host.host), host });
  return tokenCount() - before;
}

describe('references to a host’s pool, network and base image', () => {
  it('are one token each, however many disks and NICs name them: a VM adds only the two of its own volume', () => {
    // Each VM names its volume's pool and name (`${libvirt_volume.<vm disk>.pool|name}`); its volume names the
    // pool and the base image's path, its NIC the network: those three are made once per host.
    const one = tokensFor(1);
    expect(tokensFor(5) - one).toBe(4 * 2);
    expect(tokensFor(9) - one).toBe(8 * 2);
  });

  it('render as the same references in every body that names them', () => {
    const vms = [vm('web-1', { networks: [{ network: 'lab' }] }), vm('web-2', { networks: [{ network: 'lab' }] })];
    const f = fleet({ vms });
    const json = synthJson((scope) => {
      const host = new KvmHost(scope, 'kvm-a1', { host: kvmHost('kvm-a1'), catalog: catalogOf(f) });
      for (const v of vms) new VirtualMachine(host, `vm-${v.name}`, { effective: resolved(f, v, host.host), host });
    });
    const volumes = resources(json, 'libvirt_volume');
    const overlays = ['kvm_a1_web_1_disk0', 'kvm_a1_web_2_disk0'].map((address) => volumes[address] as { pool: string; backing_store: { path: string } });
    for (const overlay of overlays) {
      expect(overlay.pool).toBe('${libvirt_pool.kvm_a1_pool_images.name}');
      expect(overlay.backing_store.path).toMatch(/^\$\{libvirt_volume\.kvm_a1_image_[\w]+\.path\}$/);
    }
    expect(overlays[0]!.backing_store.path).toBe(overlays[1]!.backing_store.path);
    const domains = resources(json, 'libvirt_domain') as Record<string, { devices: { interfaces: { source: { network: { network: string } } }[] } }>;
    for (const domain of Object.values(domains)) expect(domain.devices.interfaces[0]!.source.network.network).toBe('${libvirt_network.kvm_a1_net_lab.name}');
  });
});
