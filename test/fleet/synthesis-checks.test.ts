// Fleets that used to load and then crash synthesis (issue 21): each is now a located problem at load.
import { describe, expect, it } from 'vitest';
import { BASE_FLEET, problemLines, withLine } from './helpers';
import { isTokenNumber } from '../../fleet/synthesis-checks';

const vmLines = (lines: string): string => withLine(29, `    migrationPool: mp\n${lines}`);
const disks = (count: number, bus: string): string => `[${Array.from({ length: count }, () => `{ size: 1GiB, pool: local, bus: ${bus} }`).join(', ')}]`;

const CASES: readonly (readonly [name: string, text: string, expected: readonly string[]])[] = [
  ['dir pool without path', withLine(19, '  - { name: local, type: dir }'), ["f.yaml:19:26: pools[0].type: pool 'local' (type dir) has no path; set path to the directory volumes live in (e.g. /var/lib/libvirt/images)"]],
  ['netfs pool without source', withLine(20, '  - { name: nfs, type: netfs, path: /mnt/nfs }'), ["f.yaml:20:24: pools[1].type: pool 'nfs' (type netfs) has no source; set source (netfs: host:/export, logical: a volume group, rbd: a Ceph pool, fs/disk: a device)"]],
  ['netfs source not host:/path', withLine(20, '  - { name: nfs, type: netfs, source: "nfs1", path: /mnt/nfs }'), ["f.yaml:20:39: pools[1].source: pool 'nfs' (type netfs) has source 'nfs1'; expected host:/path, e.g. nfs1:/export/images"]],
  // iSCSI pools name a portal and a target instead of a source (libvirt formatstorage: <host name=>, <device path=>).
  ['iscsi pool with a source instead of portal and target', withLine(20, '  - { name: nfs, type: iscsi, source: "san:" }'), [
    "f.yaml:20:24: pools[1].type: an iscsi pool needs 'portal' (host or host:port of the iSCSI portal)",
    "f.yaml:20:24: pools[1].type: an iscsi pool needs 'target' (the target IQN, e.g. iqn.2024-01.com.example:vms)",
    "f.yaml:20:39: pools[1].source: an iscsi pool takes 'portal' (host or host:port) and 'target' (the target IQN) instead of 'source'",
  ]],
  ['logical pool without source', withLine(20, '  - { name: nfs, type: logical }'), ["f.yaml:20:24: pools[1].type: pool 'nfs' (type logical) has no source; set source (netfs: host:/export, logical: a volume group, rbd: a Ceph pool, fs/disk: a device)"]],
  ['nat network without cidr', withLine(17, '  - { name: prod, mode: nat }'), ["f.yaml:17:25: networks[0].mode: a nat network needs 'cidr' (e.g. 192.168.122.0/24): libvirt gives it a gateway and DHCP range"]],
  ['route network without cidr', withLine(17, '  - { name: prod, mode: route }'), ["f.yaml:17:25: networks[0].mode: a route network needs 'cidr' (e.g. 192.168.122.0/24): libvirt gives it a gateway and DHCP range"]],
  ['network /0', withLine(17, '  - { name: prod, mode: nat, cidr: 0.0.0.0/0 }'), ["f.yaml:17:36: networks[0].cidr: '0.0.0.0/0' leaves no room for a gateway and a DHCP range; use a prefix from /1 to /30"]],
  ['network /31', withLine(17, '  - { name: prod, mode: nat, cidr: 10.0.0.0/31 }'), ["f.yaml:17:36: networks[0].cidr: '10.0.0.0/31' leaves no room for a gateway and a DHCP range; use a prefix from /1 to /30"]],
  ['network /32', withLine(17, '  - { name: prod, mode: isolated, cidr: 10.0.0.1/32 }'), ["f.yaml:17:41: networks[0].cidr: '10.0.0.1/32' leaves no room for a gateway and a DHCP range; use a prefix from /1 to /30"]],
  ['image source without file name', withLine(22, '  - { name: debian, source: /, pool: local }'), ["f.yaml:22:29: images[0].source: image source '/' has no file name; give a path or URL ending in the image file (e.g. /images/debian-12.qcow2), which becomes the volume name"]],
  ['disk image URL without file name', withLine(27, '    disks: [{ size: 20GiB, pool: local, image: "//" }]'), ["f.yaml:27:48: vms[0].disks[0].image: image source '//' has no file name; give a path or URL ending in the image file (e.g. /images/debian-12.qcow2), which becomes the volume name"]],
  ['two images with one file name in one pool', withLine(27, '    disks: [{ size: 20GiB, pool: local, image: debian }, { size: 20GiB, pool: local, image: /other/debian.qcow2 }]'), ["f.yaml:27:93: vms[0].disks[1].image: image '/other/debian.qcow2' and image '/img/debian.qcow2' (vms[0].disks[0]) would both be volume 'debian.qcow2' in pool 'local'; rename one of the files or use another pool"]],
  ['cloudInit on a VM without disks', withLine(27, '    cloudInit: {}'), ["f.yaml:27:16: vms[0].cloudInit: cloudInit needs a disk: the seed volume goes into the OS disk's pool; add a disk or remove cloudInit"]],
  ['27 virtio disks', withLine(27, `    disks: ${disks(27, 'virtio')}`), ["f.yaml:27:1105: vms[0].disks[26]: more than 26 disks use vd* device names on kvm and xen (vda to vdz); move some to another bus or name them with target:"]],
  ['26 sata disks leave no name for the KVM seed', vmLines(`    hypervisor: kvm\n    cloudInit: {}`).replace(/disks: \[.*\]/, `disks: ${disks(26, 'sata')}`), ["f.yaml:31:16: vms[0].cloudInit: on kvm the cloud-init seed goes on the sata bus, but the disks use every sd* device name; move a disk to another bus"]],
  ['26 xen disks leave no name for a PVH seed', withLine(29, '    hypervisor: xen\n    cloudInit: {}').replace(/disks: \[.*\]/, `disks: ${disks(26, 'xen')}`), ["f.yaml:30:16: vms[0].cloudInit: on xen the cloud-init seed goes on the xen bus, but the disks use every xvd* device name; move a disk to another bus"]],
  ['host twice in one stack', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1, kvm-1] }'), ["f.yaml:31:41: stacks[0].hosts[2]: host 'kvm-1' is listed twice in stack 'site'"]],
  ['host in no stack', withLine(31, '  - { name: site, hosts: [kvm-1] }'), ["f.yaml:8:11: hosts[1].name: host 'xen-1' is in no stack; add it to one of the stacks (site): synthesis defines each host in its stack"]],
  ['host named backend', BASE_FLEET.replaceAll('kvm-1', 'backend'), ["f.yaml:3:11: hosts[0].name: a host cannot be named 'backend': the stack's Terraform backend has that name; rename the host"]],
  ['host named like a migration pool construct', BASE_FLEET.replaceAll('kvm-1', 'migration-mp'), ["f.yaml:3:11: hosts[0].name: a host cannot be named 'migration-mp': migrationPools[0] 'mp' has that name in the stack; rename the host or the pool"]],
  ['VMs web-1 and web_1', `${BASE_FLEET.replace('stacks:', '  - { name: web_1, vcpus: 1, memory: 1GiB }\nstacks:')}`, ["f.yaml:30:13: vms[1].name: 'web_1' and vms[0] 'web-1' both become the Terraform name 'web_1'; rename one"]],
  ['hosts h-1 and h_1', BASE_FLEET.replace('  - name: xen-1', '  - { name: kvm_1, hypervisor: kvm, uri: "qemu:///system", cpus: 4, memory: 8GiB }\n  - name: xen-1').replace('[kvm-1, xen-1] }', '[kvm-1, xen-1, kvm_1] }'), ["f.yaml:8:13: hosts[1].name: 'kvm_1' and hosts[0] 'kvm-1' both become the Terraform name 'kvm_1'; rename one"]],
  ['nested host ids: kvm + vm 1_web vs kvm_1 + vm web', BASE_FLEET.replace('  - name: xen-1', '  - { name: kvm, hypervisor: kvm, uri: "qemu:///system", cpus: 4, memory: 8GiB }\n  - name: xen-1').replace('[kvm-1, xen-1] }', '[kvm-1, xen-1, kvm] }').replace('name: web-1', 'name: web').replace('stacks:', '  - { name: a1_web, vcpus: 1, memory: 1GiB }\nstacks:').replaceAll('kvm-1', 'kvm_a1'), ["f.yaml:31:13: vms[1].name: in stack 'site', vms[1] 'a1_web' on host 'kvm' and vms[0] 'web' on host 'kvm_a1' would both be libvirt_domain.kvm_a1_web; rename one of the hosts"]],
  ['a VM disk volume and a base image volume', withLine(24, '  - name: image_local').replace('image: debian }', 'image: /img/disk0 }'), ["f.yaml:27:48: vms[0].disks[0].image: the base image 'disk0' in pool 'local' and vms[0] 'image_local' would both be libvirt_volume.<host>_image_local_disk0 on a host that has both; rename one"]],
  // Every disk that writes the colliding base image is named, not only the first (the loader adds a base
  // image's address once per pool and volume, and still reports each disk whose tail has another holder).
  ['a VM disk volume and a base image two VMs use', withLine(24, '  - name: image_local').replace('image: debian }', 'image: /img/disk0 }').replace('stacks:', '  - { name: web-2, vcpus: 1, memory: 1GiB, disks: [{ size: 1GiB, pool: local, image: /img/disk0 }] }\nstacks:'), [
    "f.yaml:27:48: vms[0].disks[0].image: the base image 'disk0' in pool 'local' and vms[0] 'image_local' would both be libvirt_volume.<host>_image_local_disk0 on a host that has both; rename one",
    "f.yaml:30:86: vms[1].disks[0].image: the base image 'disk0' in pool 'local' and vms[0] 'image_local' would both be libvirt_volume.<host>_image_local_disk0 on a host that has both; rename one",
  ]],
  ['string token marker', withLine(17, '  - { name: prod, mode: bridge, bridge: "${TfToken[TOKEN.1]}" }'), ["f.yaml:17:41: networks[0].bridge: contains a cdktf token marker (like '${TfToken[…]}'), which synthesis would read as a reference; remove it"]],
  ['list token marker', withLine(5, '    uri: "qemu+ssh://#{TfToken[TOKEN.7]}/system"'), ["f.yaml:5:10: hosts[0].uri: contains a cdktf token marker (like '${TfToken[…]}'), which synthesis would read as a reference; remove it"]],
  ['token marker in a label key', withLine(7, '    memory: 128GiB\n    labels: { "&{TfToken[TOKEN.3]}": x }'), ["f.yaml:8:15: hosts[0].labels.&{TfToken[TOKEN.3]}: this key contains a cdktf token marker; remove it"]],
  ['backend type remote', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: remote, organization: o } }'), ["f.yaml:31:59: stacks[0].backend.type: backend type must be one of local, s3, pg, http, consul, gcs, azurerm"]],
  ['backend type kubernetes', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: kubernetes, secretSuffix: s } }'), ["f.yaml:31:59: stacks[0].backend.type: backend type must be one of local, s3, pg, http, consul, gcs, azurerm"]],
  ['backend setting null', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: s3, bucket: null, key: k } }'), ["f.yaml:31:71: stacks[0].backend.bucket: expected a string, got nothing"]],
  ['backend setting nested too deep', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: s3, bucket: b, key: k, endpoints: { s3: { a: { b: 1 } } } } }'), ["f.yaml:31:99: stacks[0].backend.endpoints.s3: expected a string, got a mapping"]],
  ['backend setting of the wrong type', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: pg, connStr: 7 } }'), ["f.yaml:31:72: stacks[0].backend.connStr: expected a string, got a number"]],
  ['backend setting cdktf reads as a token number', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: http, address: "https://s", retryMax: -1.8881545897087626e+289 } }'), ["f.yaml:31:97: stacks[0].backend.retryMax: must be at least -9007199254740991, got a number", "f.yaml:31:97: stacks[0].backend.retryMax: must be at least 0, got a number", "f.yaml:31:97: stacks[0].backend.retryMax: -1.8881545897087626e+289 is a number cdktf reserves for its own references; use another value"]],
  ['backend setting snake_case', withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: s3, bucket: b, key: k, secret_key: x } }'), ["f.yaml:31:82: stacks[0].backend.secret_key: unknown key 'secret_key'"]],
];

describe('synthesis checks at load', () => {
  it.each(CASES)('%s', (_name, text, expected) => {
    expect(problemLines(text)).toEqual(expected);
  });
});

describe('backend settings', () => {
  it('loads every setting of a complete s3 backend', () => {
    const text = withLine(31, '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: s3, bucket: b, key: k, region: eu-west-1, encrypt: true, maxRetries: 3, assumeRole: { roleArn: arn } } }');
    expect(problemLines(text)).toEqual([]);
  });
});

describe('isTokenNumber', () => {
  it("recognises cdktf's encoded token doubles and nothing else", () => {
    // The value cdktf encodes the first number token as (Token.asNumber), see cdktf lib/tokens/private/encoding.js.
    expect(isTokenNumber(-1.8881545897087626e289)).toBe(true);
    for (const plain of [0, -0, 1, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 0.5]) expect(isTokenNumber(plain)).toBe(false);
  });
});
