/**
 * The machine libvirt gives a QEMU/KVM domain whose `<os><type>` names none: on define it takes the
 * binary's preferred machine (src/qemu/qemu_domain.c, qemuDomainDefPostParse: `if (!def->os.machine)`
 * … virQEMUCapsGetPreferredMachine), the one QEMU marks `default='yes'` (tests/qemucapabilitiesdata in
 * libvirt 9.0.0: `pc-i440fx-8.0 alias='pc' default='yes'` on x86_64, `pseries` on ppc64,
 * `s390-ccw-virtio` on s390x, `spike` on riscv64; qemuxml2xmloutdata/default-kvm-host-arch.xml shows the
 * domain written back with `machine='pc'`). QEMU's aarch64 binary has no default machine, so an aarch64
 * domain without one is not defined at all.
 */
export const QEMU_DEFAULT_MACHINE: Readonly<Record<string, string>> = {
  x86_64: 'pc',
  i686: 'pc',
  ppc64: 'pseries',
  ppc64le: 'pseries',
  s390x: 's390-ccw-virtio',
  riscv64: 'spike',
};
