import { describe, expect, it } from 'vitest';
import { derivedDom0MemoryMiB, derivedDom0Vcpus, dom0Sizing, hostCapacity } from '../../planner/capacity';
import { GiB, host } from './fixtures';

describe('dom0Sizing', () => {
  it.each([
    [16 * GiB, 2048], // 1024 + 819.2 → 1843.2 → next 256
    [64 * GiB, 4352], // 1024 + 3276.8 → 4300.8 → 4352
    [128 * GiB, 7680], // 1024 + 6553.6 → 7577.6 → 7680
    [256 * GiB, 8192], // capped
    [1024 * GiB, 8192],
  ])('memory for %i MiB of host RAM is %i MiB (XenServer 8: 1 GiB + 5%%, cap 8 GiB, 256 MiB steps)', (memory, expected) => {
    expect(derivedDom0MemoryMiB(memory)).toBe(expected);
  });

  it.each([
    [1, 1],
    [4, 2],
    [32, 2],
    [48, 3],
    [64, 4],
    [256, 16],
  ])('vCPUs for %i pCPUs is %i', (cpus, expected) => {
    expect(derivedDom0Vcpus(cpus)).toBe(expected);
  });

  it('derives everything when nothing is declared, pin and balloon off', () => {
    expect(dom0Sizing(host('xen-1', { cpus: 64, memoryMiB: 64 * GiB }))).toEqual({ memoryMiB: 4352, vcpus: 4, pin: false, balloon: false, derived: true });
  });

  it('keeps declared values and reports nothing derived when all are declared', () => {
    const declared = { memoryMiB: 6144, vcpus: 6, pin: true, balloon: false };
    expect(dom0Sizing(host('xen-1', { dom0: declared }))).toEqual({ ...declared, derived: false });
  });
});

describe('hostCapacity', () => {
  it('Xen: (cpus − Dom0 vCPUs) × overcommit and (memory − Dom0 memory) × overcommit', () => {
    const xen = host('xen-1', { cpus: 64, memoryMiB: 64 * GiB, overcommit: { cpu: 4, memory: 1 } });
    expect(hostCapacity(xen)).toEqual({ cpu: 240, memoryMiB: 64 * GiB - 4352, reservedCpu: 4, reservedMemoryMiB: 4352 });
  });

  it('KVM: host reservation, overcommit, floored', () => {
    const kvm = host('kvm-1', { cpus: 33, memoryMiB: 100 * GiB, reserved: { cpus: 2, memoryMiB: 4 * GiB }, overcommit: { cpu: 1.5, memory: 1.1 } });
    expect(hostCapacity(kvm)).toEqual({ cpu: 46, memoryMiB: Math.floor(96 * GiB * 1.1), reservedCpu: 2, reservedMemoryMiB: 4 * GiB });
  });

  it('KVM without any declared reservation keeps Nova’s 512 MiB for the host', () => {
    const { reserved: _ignored, ...bare } = host('kvm-1', { cpus: 8, memoryMiB: 16 * GiB });
    expect(hostCapacity(bare)).toEqual({ cpu: 8, memoryMiB: 16 * GiB - 512, reservedCpu: 0, reservedMemoryMiB: 512 });
  });
});
