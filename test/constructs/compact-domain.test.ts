/**
 * CompactDomain exists because the generated `Domain` class builds its whole output-reference tree
 * (~1,200 nested objects) per instance: 2,000 domains took 37.8 s and 1.3 GiB of heap to construct here,
 * against 0.6 s and 42 MiB for CompactDomain. It must synthesize exactly what the generated class does.
 */
import { Testing, TerraformStack } from '../../constructs/cdk-engine';
import { describe, expect, it } from 'vitest';
import { CompactDomain, type CompactDomainConfig } from '../../constructs/compact';
import { Domain, LibvirtProvider } from '../../constructs/libvirt-bindings';

function synthesize(make: (stack: TerraformStack, config: CompactDomainConfig) => void, config: (provider: LibvirtProvider) => CompactDomainConfig): Record<string, unknown> {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const provider = new LibvirtProvider(stack, 'kvm_a1', { alias: 'kvm_a1', uri: 'qemu+ssh://root@kvm-a1/system' });
  make(stack, config(provider));
  const json = JSON.parse(Testing.synth(stack)) as { resource: { libvirt_domain: Record<string, Record<string, unknown>> } };
  const { '//': _metadata, ...body } = json.resource.libvirt_domain.web!;
  return body;
}

const RICH = (provider: LibvirtProvider): CompactDomainConfig => ({
  provider,
  lifecycle: { ignoreChanges: ['autostart'] },
  name: 'web-1',
  type: 'kvm',
  memory: 8192,
  memoryUnit: 'MiB',
  vcpu: 4,
  autostart: true,
  os: { type: 'hvm', typeArch: 'x86_64', typeMachine: 'q35', firmware: 'efi', firmwareInfo: { features: [{ name: 'secure-boot', enabled: 'yes' }] } },
  cpu: { mode: 'custom', model: 'EPYC-Milan' },
  features: { acpi: true, apic: {}, smm: { state: 'on' } },
  memoryBacking: { memoryHugePages: {} },
  devices: {
    disks: [
      { source: { volume: { pool: 'images', volume: 'web-1-os.qcow2' } }, target: { dev: 'vda', bus: 'virtio' }, driver: { name: 'qemu', type: 'qcow2', cache: 'none', io: 'native' } },
      { device: 'cdrom', readOnly: true, source: { volume: { pool: 'images', volume: 'web-1-seed.iso' } }, target: { dev: 'sda', bus: 'sata' } },
    ],
    interfaces: [{ source: { bridge: { bridge: 'br0' } }, model: { type: 'virtio' }, driver: { name: 'vhost', queues: 4 } }],
    rngs: [{ model: 'virtio', backend: { random: '/dev/urandom' } }],
    memBalloon: { model: 'virtio' },
    serials: [{ source: { pty: { path: '' } }, target: { port: 0 } }],
    consoles: [{ source: { pty: { path: '' } }, target: { type: 'serial', port: 0 } }],
    graphics: [{ vnc: { listen: '127.0.0.1' } }],
    hostdevs: [{ managed: true, subsysPci: { source: { address: { domain: 0, bus: 59, slot: 0, function: 0 } } } }],
  },
});

describe('CompactDomain', () => {
  it('synthesizes the same libvirt_domain as the generated Domain class', () => {
    const compact = synthesize((stack, config) => new CompactDomain(stack, 'web', config), RICH);
    const generated = synthesize((stack, config) => new Domain(stack, 'web', config), RICH);
    expect(compact).toEqual(generated);
    expect(compact).toMatchObject({ name: 'web-1', memory_unit: 'MiB', provider: 'libvirt.kvm_a1', os: { firmware_info: { features: [{ name: 'secure-boot', enabled: 'yes' }] }, type_machine: 'q35' } });
    expect(JSON.stringify(compact)).not.toContain('null');
  });

  it('keeps the generated class’s resource type', () => {
    expect(CompactDomain.tfResourceType).toBe('libvirt_domain');
  });
});
