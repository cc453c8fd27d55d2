/**
 * Adoption on a real QEMU-driver host: domains an operator defined on libvirtd's QEMU driver (under KVM),
 * two of them running, → `hyperplan import --from qemu:///system?socket=…` → `synth --adopt` → the first
 * `terraform plan` with the real dmacvicar/libvirt 0.9.7 provider imports every domain and the network and
 * changes nothing; applying it and planning again shows no changes.
 *
 * What the QEMU driver reports beyond libvirt's test driver (measured here, libvirt 9.0.0, QEMU 7.2) is
 * what the adopted-domain read-back (constructs/domain-read-back.ts) and the ignored changes
 * (constructs/virtual-machine.ts `adopt`) cover; each is stated with its source there.
 *
 * The daemon: test/e2e/support/qemu-daemon.ts (own namespaces and folders, runs beside the other e2e tests).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RUN_E2E } from './support/environment';
import { hyperplan } from './support/fleet-deploy';
import { qemuHostMissing, startQemuDaemon, type QemuDaemon } from './support/qemu-daemon';
import { terraformWithLocalProvider, type TerraformRunner } from './support/terraform';

const QEMU_MISSING = RUN_E2E ? qemuHostMissing() : undefined;
if (QEMU_MISSING !== undefined) console.warn(`end-to-end adoption on a QEMU-driver host skipped: ${QEMU_MISSING}`);

const network = `<network>
  <name>prod</name>
  <forward mode='nat'/>
  <bridge name='virbr10' stp='on' delay='0'/>
  <ip address='10.1.0.1' netmask='255.255.255.0'>
    <dhcp><range start='10.1.0.2' end='10.1.0.254'/></dhcp>
  </ip>
</network>
`;

const pool = (path: string): string => `<pool type='dir'>
  <name>images</name>
  <target><path>${path}</path></target>
</pool>
`;

/**
 * A disk as operators' tools write one: a qcow2 file in the pool's folder, its cache and I/O modes libvirt's
 * unless named (`modes`, e.g. `cache='none'`). hyperplan's own KVM default (cache=none and an I/O mode) is not
 * imposed on an adopted disk: the import writes `cache: default` / `io: default` (libvirt/import-disk.ts).
 */
const qcow2Disk = (path: string, modes = ''): string => `<disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'${modes === '' ? '' : ` ${modes}`}/>
      <source file='${path}'/>
      <target dev='vda' bus='virtio'/>
    </disk>`;

const nic = `<interface type='network'>
      <source network='prod'/>
      <model type='virtio'/>
    </interface>`;

const serialConsole = `<serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>`;

function domain(name: string, memoryMiB: number, vcpus: number, body: { cpu?: string; boot?: string[]; devices: string[] }): string {
  return `<domain type='kvm'>
  <name>${name}</name>
  <memory unit='MiB'>${memoryMiB}</memory>
  <vcpu>${vcpus}</vcpu>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type>${(body.boot ?? ['hd']).map((dev) => `<boot dev='${dev}'/>`).join('')}</os>
  <features><acpi/><apic/></features>
  ${body.cpu ?? ''}
  <devices>
    ${body.devices.join('\n    ')}
  </devices>
</domain>
`;
}

describe.skipIf(!RUN_E2E || QEMU_MISSING !== undefined)('end to end: adopting domains from a QEMU-driver host', () => {
  let root: string;
  let terraform: TerraformRunner;
  let daemon: QemuDaemon;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'hyperplan-e2e-adopt-qemu-'));
    terraform = terraformWithLocalProvider(root);
    daemon = startQemuDaemon(join(root, 'host'));
  });
  afterAll(() => {
    daemon?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports the running and stopped domains as the QEMU driver reports them; the first plan changes nothing, nor does the one after applying it', () => {
    const seed = join(root, 'seed');
    mkdirSync(seed, { recursive: true });
    const images = daemon.imagesDir;
    const iso = join(root, 'install.iso');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', iso, '1M']);
    const vms = {
      // No serial console, no cache or I/O mode: the import keeps them so (console: false, cache: default).
      'web-1': domain('web-1', 256, 1, { devices: [qcow2Disk(join(images, 'web-1.qcow2')), nic] }),
      // An installer's boot order: the CD-ROM first, then the disk.
      'cd-1': domain('cd-1', 256, 1, {
        boot: ['cdrom', 'hd'],
        devices: [
          qcow2Disk(join(images, 'cd-1.qcow2')),
          `<disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='${iso}'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>`,
          nic,
          serialConsole,
        ],
      }),
      'desk-1': domain('desk-1', 512, 2, {
        cpu: `<cpu mode='host-model'/>`,
        // cache=none with no I/O mode: the import writes io: default, not hyperplan's threads.
        devices: [qcow2Disk(join(images, 'desk-1.qcow2'), "cache='none'"), nic, serialConsole, `<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>`],
      }),
    };
    writeFileSync(join(seed, 'pool.xml'), pool(images));
    writeFileSync(join(seed, 'network.xml'), network);
    daemon.virsh(['pool-define', join(seed, 'pool.xml')]);
    daemon.virsh(['pool-start', 'images']);
    daemon.virsh(['pool-autostart', 'images']);
    for (const name of Object.keys(vms)) execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(images, `${name}.qcow2`), '64M']);
    daemon.virsh(['pool-refresh', 'images']);
    daemon.virsh(['net-define', join(seed, 'network.xml')]);
    daemon.virsh(['net-start', 'prod']);
    daemon.virsh(['net-autostart', 'prod']);
    for (const [name, xml] of Object.entries(vms)) {
      writeFileSync(join(seed, `${name}.xml`), xml);
      daemon.virsh(['define', join(seed, `${name}.xml`)]);
      if (name !== 'cd-1') daemon.virsh(['start', name]);
    }
    expect(daemon.virsh(['list', '--name', '--state-running']).split('\n').filter(Boolean).sort()).toEqual(['desk-1', 'web-1']);

    const adopt = join(root, 'adopt');
    mkdirSync(adopt, { recursive: true });
    // The URI as an operator may write it for a local socket; the provider gets it without `+unix`
    // (constructs/provider-uri.ts), which its dialer rejects.
    const hostUri = daemon.uri.replace(/^qemu:/, 'qemu+unix:');
    const imported = hyperplan(['import', '--from', hostUri, '--out', 'fleet.yaml'], adopt);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^imported 1 host\(s\), 3 VM\(s\), 1 network\(s\), 1 pool\(s\)$/m);
    // What the QEMU driver writes by itself is left to it (libvirt/import-qemu-state.ts); still dropped,
    // and reported, are only the CPU details the fleet has no key for (libvirt's check/match/fallback, and
    // the vendor and features a running domain's CPU was expanded to) and the network's live counters.
    const droppedSection = imported.stderr.split(/^approximated:$/m)[0]!.split(/^dropped:$/m)[1] ?? '';
    const droppedPaths = [...droppedSection.matchAll(/^ {2}\S+ ([^:\s]+):/gm)].map((m) => m[1]!);
    expect(droppedPaths.length).toBeGreaterThan(0);
    expect(droppedPaths.filter((path) => !/^\/domain\/cpu[@/]|^\/network(@connections|\/forward\/nat)$/.test(path))).toEqual([]);
    expect(imported.stderr).toMatch(/vms\[desk-1\] \/domain\/devices: emulator \S+, PS\/2 mouse, PS\/2 keyboard, isa-serial port, audio none, video \S+ left to libvirt's QEMU driver/);
    const fleet = parse(readFileSync(join(adopt, 'fleet.yaml'), 'utf8')) as {
      hosts: Array<{ uri: string }>;
      vms: Array<{ name: string; running?: boolean; console?: boolean; bootDevices?: string[]; disks: Array<{ path?: string; cache?: string; io?: string }> }>;
    };
    expect(fleet.hosts.map((h) => h.uri)).toEqual([hostUri]);
    // The shut-off domain stays shut off; the disks are the operator's files, referenced, never created.
    expect(fleet.vms.map((vm) => [vm.name, vm.running, vm.disks[0]!.path])).toEqual([
      ['cd-1', false, join(images, 'cd-1.qcow2')],
      ['desk-1', undefined, join(images, 'desk-1.qcow2')],
      ['web-1', undefined, join(images, 'web-1.qcow2')],
    ]);
    // What the operator left to libvirt stays libvirt's: the disk modes, no serial console, the boot order.
    expect(fleet.vms.map((vm) => [vm.name, vm.disks[0]!.cache, vm.disks[0]!.io, vm.console, vm.bootDevices])).toEqual([
      ['cd-1', 'default', undefined, undefined, ['cdrom', 'hd']],
      ['desk-1', 'none', 'default', undefined, undefined],
      ['web-1', 'default', undefined, false, undefined],
    ]);

    const synth = hyperplan(['synth', 'fleet.yaml', '--adopt', '--out', 'out', '--quiet'], adopt);
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.stdout).toContain('adopting 3 domain(s), 1 network(s)');
    // What the QEMU driver assigns itself is ignored on its hosts only (constructs/qemu-read-back.ts).
    expect(synth.stdout).toMatch(/^ {2}domain desk-1 on localhost: ignore_changes .*devices\.emulator, devices\.audios, devices\.videos, cpu\.match/m);
    const stackDir = join(adopt, 'out/stacks/kvm');
    const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as { provider: { libvirt: Array<{ uri: string }> }; resource: Record<string, unknown> };
    expect(json.provider.libvirt.map((provider) => provider.uri)).toEqual([daemon.uri]);
    expect(Object.keys(json.resource)).not.toContain('libvirt_volume');

    terraform.expect(stackDir, ['init', '-input=false', '-no-color']);
    const plan = terraform.expect(stackDir, ['plan', '-input=false', '-no-color']);
    expect(plan.stdout, plan.stdout).toMatch(/Plan: \d+ to import, 0 to add, 0 to change, 0 to destroy\./);
    const importedResources = [...plan.stdout.matchAll(/# (\S+) will be imported/g)].map((m) => m[1]).sort();
    expect(importedResources).toEqual(expect.arrayContaining(['libvirt_domain.localhost_cd_1', 'libvirt_domain.localhost_desk_1', 'libvirt_domain.localhost_web_1', 'libvirt_network.localhost_net_prod']));

    const apply = terraform.expect(stackDir, ['apply', '-input=false', '-no-color', '-auto-approve']);
    expect(apply.stdout).toMatch(/Apply complete! Resources: \d+ imported, 0 added, 0 changed, 0 destroyed\./);
    const again = terraform.expect(stackDir, ['plan', '-input=false', '-no-color', '-detailed-exitcode']);
    expect(again.stdout).toContain('No changes.');
    expect(daemon.virsh(['list', '--name', '--state-running']).split('\n').filter(Boolean).sort()).toEqual(['desk-1', 'web-1']);
  }, 600_000);
});
