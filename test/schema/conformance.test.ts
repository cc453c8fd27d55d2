import { describe, expect, it } from 'vitest';
import { checkConformance } from '../../schema/conformance';

const domain = (body: Record<string, unknown>) => ({ resource: { libvirt_domain: { web: { name: 'web', type: 'kvm', ...body } } } });

describe('checkConformance', () => {
  it('accepts a domain that follows the schema', () => {
    expect(checkConformance(domain({ memory: 512, memory_unit: 'MiB', devices: { disks: [{ target: { dev: 'vda', bus: 'virtio' } }] } }))).toEqual([]);
  });

  it('reports unknown attribute paths, wrong types, read-only and missing required attributes', () => {
    const problems = checkConformance({
      resource: {
        libvirt_domain: { web: { name: 'web', memory: '512', devices: { disks: [{ target: { bus: 'virtio', speed: 3 } }] }, id: 'x' } },
        libvirt_volume: { data: { name: 'd' } },
      },
    });
    expect(problems).toEqual([
      { path: 'resource.libvirt_domain.web.memory', message: 'expected number, got "512"' },
      { path: 'resource.libvirt_domain.web.devices.disks[0].target.speed', message: 'unknown attribute: not in the provider schema' },
      { path: 'resource.libvirt_domain.web.id', message: 'read-only attribute: the provider computes it' },
      { path: 'resource.libvirt_domain.web.type', message: 'required attribute is missing' },
      { path: 'resource.libvirt_volume.data.pool', message: 'required attribute is missing' },
    ]);
  });

  it('treats an empty object type of the real schema (no attributes) as taking no keys', () => {
    // The v0.9.7 provider reports devices.controllers.address with nesting_mode single and no attributes.
    const problems = checkConformance({
      resource: { libvirt_domain: { web: { name: 'web', type: 'kvm', memory: 512, devices: { controllers: [{ type: 'pci', address: { bus: 1 } }] } } } },
    });
    expect(problems).toContainEqual({ path: 'resource.libvirt_domain.web.devices.controllers[0].address.bus', message: 'unknown attribute: not in the provider schema' });
  });

  it('accepts Terraform references where any type is expected', () => {
    expect(checkConformance(domain({ memory: '${var.memory}', devices: '${local.devices}' }))).toEqual([]);
  });

  it('checks the provider configuration', () => {
    expect(checkConformance({ provider: { libvirt: [{ alias: 'a', uri: 'qemu:///system', url: 'x' }] } })).toEqual([
      { path: 'provider.libvirt[0].url', message: 'unknown attribute: not in the provider schema' },
    ]);
  });
});
