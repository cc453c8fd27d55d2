// effectiveVm: the Xen and Windows decisions constructs render and policies judge (issue 12, items 1–4).
import { describe, expect, it } from 'vitest';
import { KVM_WINDOWS_HYPERV, effectiveVm } from '../../fleet/effective-vm';
import type { Fleet, Vm } from '../../fleet/model';
import { fleet, vm } from '../constructs/fixtures';

const withXenDefaults = (defaults: Fleet['defaults']['xen']['vm']): Fleet => {
  const f = fleet();
  return { ...f, defaults: { ...f.defaults, xen: { ...f.defaults.xen, vm: defaults } } };
};
const xen = (v: Vm, f: Fleet = fleet()) => effectiveVm(f, v, 'xen');

describe('effectiveVm on Xen', () => {
  // libvirt src/libxl/libxl_conf.c, libxlMakeDisk: "If driverName is not specified, default to raw".
  it('names the qemu driver for non-raw disks only; KVM always names qemu', () => {
    const v = vm('d', { disks: [{ sizeMiB: 1024, pool: 'images', data: false }, { sizeMiB: 1024, pool: 'images', format: 'raw', data: true }] });
    expect(xen(v).disks.map((d) => [d.format, d.driverName])).toEqual([['qcow2', 'qemu'], ['raw', undefined]]);
    expect(effectiveVm(fleet(), v, 'kvm').disks.map((d) => d.driverName)).toEqual(['qemu', 'qemu']);
  });

  // libxl_conf.c, libxlMakeNic: PV(H) accept only netfront; on HVM no model is VIF_IOEMU (emulated + PV), netfront is PV only.
  it('gives HVM NICs no model, PV and PVH NICs netfront, and keeps a declared model', () => {
    expect(xen(vm('h', { guestType: 'hvm' })).nics[0]?.model).toBeUndefined();
    expect(xen(vm('p', { guestType: 'pvh' })).nics[0]?.model).toBe('netfront');
    expect(xen(vm('v', { guestType: 'pv' })).nics[0]?.model).toBe('netfront');
    expect(xen(vm('n', { guestType: 'hvm', networks: [{ network: 'prod', model: 'e1000' }] })).nics[0]?.model).toBe('e1000');
  });

  // xl.cfg(5): PVH has no firmware; Windows boots only from firmware on emulated hardware.
  it("lets a VM's own UEFI, Secure Boot or Windows choose HVM over the fleet's default guest type, but not over its own", () => {
    const pvhDefault = withXenDefaults({ guestType: 'pvh' });
    expect(xen(vm('a'), pvhDefault).guestType).toBe('pvh');
    expect(xen(vm('w', { os: 'windows' }), pvhDefault).guestType).toBe('hvm');
    expect(xen(vm('u', { firmware: 'uefi' }), pvhDefault).guestType).toBe('hvm');
    expect(xen(vm('s', { firmware: 'uefi', secureBoot: true }), pvhDefault).guestType).toBe('hvm');
    expect(xen(vm('e', { os: 'windows', guestType: 'pvh' })).guestType).toBe('pvh');
  });

  // xl.cfg(5) viridian ("strongly recommended" for Windows Vista / Server 2008 onwards) and localtime (default UTC).
  it('gives Windows HVM guests viridian and a localtime clock, and nothing on PVH or for other guests', () => {
    expect(xen(vm('w', { os: 'windows' }))).toMatchObject({ viridian: true, hyperv: [], clock: { offset: 'localtime', timers: [] } });
    const pvh = xen(vm('e', { os: 'windows', guestType: 'pvh' }));
    expect([pvh.viridian, pvh.clock]).toEqual([false, undefined]);
    const linux = xen(vm('l', { os: 'linux', guestType: 'hvm' }));
    expect([linux.viridian, linux.clock]).toEqual([false, undefined]);
  });
});

describe('effectiveVm on KVM', () => {
  // libvirt formatdomain "Hypervisor features" and "Time keeping".
  it('gives Windows guests the expressible Hyper-V enlightenments and the Windows clock', () => {
    const win = effectiveVm(fleet(), vm('w', { os: 'windows' }), 'kvm');
    expect(win.hyperv).toEqual(KVM_WINDOWS_HYPERV);
    expect(win.viridian).toBe(false);
    expect(win.clock?.offset).toBe('localtime');
    expect(win.clock?.timers.map((t) => t.name)).toEqual(['rtc', 'pit', 'hpet', 'hypervclock']);
    const linux = effectiveVm(fleet(), vm('l'), 'kvm');
    expect([linux.hyperv, linux.clock]).toEqual([[], undefined]);
  });
});

describe('effectiveVm is made once per fleet, VM and hypervisor', () => {
  // `synth` runs the policies and then builds the stacks: both read these objects, made once (fleet/effective-vm.ts).
  it('gives every caller the same object for one fleet, VM and hypervisor', () => {
    const f = fleet();
    const v = vm('web-1');
    const first = effectiveVm(f, v, 'kvm');
    expect(effectiveVm(f, v, 'kvm')).toBe(first);
    expect(effectiveVm(f, v, 'xen')).not.toBe(first);
    expect(effectiveVm(f, v, 'xen')).toBe(effectiveVm(f, v, 'xen'));
  });

  it('makes its own for another fleet holding the same VM, whose defaults may differ', () => {
    const f = fleet();
    const v = vm('web-1');
    const other = withXenDefaults({ guestType: 'hvm' });
    expect(xen(v, f).guestType).toBe('pvh');
    expect(xen(v, other).guestType).toBe('hvm');
    expect(xen(v, f).guestType).toBe('pvh');
  });
});
