/**
 * What libvirt's QEMU driver writes into a KVM domain by itself (libvirt/import-qemu-state.ts) is not
 * reported as dropped: run-time state silently, the host's defaults as one approximation. The XML below is
 * the shape `virsh dumpxml` gave for a running q35 guest on libvirt 9.0.0 / QEMU 7.2 under KVM
 * (test/e2e/adopt-qemu.test.ts), trimmed to the parts concerned. Sources, in libvirt 9.0.0: src/qemu/
 * qemu_domain.c (qemuDomainDefPostParseBasic: emulator; qemuDomainDefAddImplicitInputDevice: PS/2 on x86;
 * qemuDomainDefAddDefaultAudioBackend; qemuDomainChrDefPostParse: isa-serial), src/conf/domain_conf.c
 * (virDomainDefAddImplicitVideo), qemu_process.c (pty paths, NIC ports, VNC autoport), qemu_cgroup.c
 * (partition /machine).
 */
import { describe, expect, it } from 'vitest';
import { importDomains, importLiveHosts, type ImportNote } from '../../libvirt/import';

const RUNNING = `<domain type='kvm' id='2'>
  <name>desk-1</name>
  <uuid>7f9ba88a-9c9b-4d3e-8451-8d7f0ccd5289</uuid>
  <memory unit='KiB'>524288</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <resource>
    <partition>/machine</partition>
  </resource>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features><acpi/><apic/></features>
  <clock offset='utc'/>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none' io='threads'/>
      <source file='/var/lib/libvirt/images/desk-1.qcow2' index='1'/>
      <backingStore/>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
    </disk>
    <controller type='pci' index='1' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='1' port='0x10'/>
      <alias name='pci.1'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>
    </controller>
    <interface type='network'>
      <mac address='52:54:00:90:d5:92'/>
      <source network='default' portid='47437617-2068-4405-b259-0ec555cd43d6' bridge='virbr0'/>
      <target dev='vnet1'/>
      <model type='virtio'/>
      <alias name='net0'/>
    </interface>
    <serial type='pty'>
      <source path='/dev/pts/3'/>
      <target type='isa-serial' port='0'>
        <model name='isa-serial'/>
      </target>
      <alias name='serial0'/>
    </serial>
    <console type='pty' tty='/dev/pts/3'>
      <source path='/dev/pts/3'/>
      <target type='serial' port='0'/>
      <alias name='serial0'/>
    </console>
    <input type='mouse' bus='ps2'>
      <alias name='input0'/>
    </input>
    <input type='keyboard' bus='ps2'>
      <alias name='input1'/>
    </input>
    <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <audio id='1' type='none'/>
    <video>
      <model type='cirrus' vram='16384' heads='1' primary='yes'/>
      <alias name='video0'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </video>
    <memballoon model='virtio'>
      <alias name='balloon0'/>
    </memballoon>
  </devices>
  <seclabel type='dynamic' model='dac' relabel='yes'>
    <label>+0:+0</label>
    <imagelabel>+0:+0</imagelabel>
  </seclabel>
</domain>
`;

const notes = (xml: string, status: ImportNote['status']): string[] =>
  importDomains([{ file: 'desk-1.xml', text: xml }]).notes.filter((n) => n.status === status).map((n) => `${n.path}: ${n.message}`);

describe("importing a running domain as libvirt's QEMU driver reports it", () => {
  it('drops nothing the driver wrote itself', () => {
    expect(notes(RUNNING, 'dropped')).toEqual([]);
  });

  it("names the host's defaults left to the driver in one approximation", () => {
    expect(notes(RUNNING, 'approximated')).toContain(
      "/domain/devices: emulator /usr/bin/qemu-system-x86_64, PS/2 mouse, PS/2 keyboard, isa-serial port, audio none, video cirrus left to libvirt's QEMU driver, which adds them itself (the emulator and audio backend per host)",
    );
  });

  it('keeps what an operator chose beyond it reported as dropped', () => {
    const chosen = RUNNING.replace("<audio id='1' type='none'/>", "<audio id='1' type='pulseaudio'/>")
      .replace("<input type='keyboard' bus='ps2'>", "<input type='tablet' bus='usb'>")
      .replace("<seclabel type='dynamic' model='dac' relabel='yes'>", "<seclabel type='static' model='dac' relabel='yes'>")
      .replace('<partition>/machine</partition>', '<partition>/production</partition>');
    expect(notes(chosen, 'dropped').map((n) => n.split(':')[0])).toEqual(expect.arrayContaining(['/domain/resource', '/domain/devices/input[2]', '/domain/devices/audio', '/domain/seclabel']));
  });

  it('leaves a Xen domain alone: only the QEMU driver writes these', () => {
    const xen = RUNNING.replace("<domain type='kvm' id='2'>", "<domain type='xen' id='2'>").replace('/usr/bin/qemu-system-x86_64', '/usr/lib/xen/bin/qemu-system-i386');
    expect(notes(xen, 'dropped')).toEqual(expect.arrayContaining([expect.stringMatching(/^\/domain\/devices\/emulator:/), expect.stringMatching(/^\/domain\/devices\/audio:/)]));
  });
});

describe('a live host: which domains run', () => {
  const nodeInfo = { cpuModel: 'x86_64', cpus: 16, sockets: 1, coresPerSocket: 8, threadsPerCore: 2, numaCells: 1, memoryKiB: 64 * 1024 * 1024 };
  const stopped = RUNNING.replace("<domain type='kvm' id='2'>", "<domain type='kvm'>").replace('<name>desk-1</name>', '<name>cd-1</name>').replace('7f9ba88a', '0073ec0a');

  it('writes running: false for a domain that is shut off (the provider would start it), nothing for one that runs', () => {
    const result = importLiveHosts([
      {
        uri: 'qemu:///system',
        nodeInfo,
        capabilities: '<capabilities><host><cpu><arch>x86_64</arch></cpu></host></capabilities>',
        domains: [
          { name: 'desk-1', xml: RUNNING, running: true, autostart: true },
          { name: 'cd-1', xml: stopped, running: false, autostart: false },
        ],
        networks: [],
        pools: [],
      },
    ]);
    const vms = new Map(result.fleet.vms!.map((vm) => [vm.name, vm]));
    expect(vms.get('cd-1')).toMatchObject({ running: false, autostart: false });
    expect(vms.get('desk-1')).not.toHaveProperty('running');
    expect(vms.get('desk-1')).not.toHaveProperty('autostart');
  });
});
