/** Shared helpers for the fleet tests: a small valid fleet and problem formatting. */
import { formatProblem, loadFleetFromString } from '../../fleet/index';
import type { LoadOptions } from '../../fleet/index';

/** A valid fleet; tests change one line (1-based) or append lines and pin the resulting problems. */
export const BASE_FLEET = `apiVersion: hyperplan/v1
hosts:
  - name: kvm-1
    hypervisor: kvm
    uri: qemu+ssh://root@kvm-1/system
    cpus: 32
    memory: 128GiB
  - name: xen-1
    hypervisor: xen
    uri: xen+ssh://root@xen-1/system
    cpus: 32
    memory: 128GiB
    dom0: { memory: 4GiB, vcpus: 2 }
migrationPools:
  - { name: mp, hypervisor: kvm, hosts: [kvm-1], sharedStorage: nfs }
networks:
  - { name: prod, mode: bridge, bridge: br0 }
pools:
  - { name: local, type: dir, path: /var/lib/libvirt/images }
  - { name: nfs, type: netfs, source: "nfs1:/x", path: /mnt/nfs }
images:
  - { name: debian, source: /img/debian.qcow2, pool: local }
vms:
  - name: web-1
    vcpus: 2
    memory: 4GiB
    disks: [{ size: 20GiB, pool: local, image: debian }]
    networks: [prod]
    migrationPool: mp
stacks:
  - { name: site, hosts: [kvm-1, xen-1] }
`;

/** BASE_FLEET with `count` lines from `line` (1-based) replaced by `text` (which may hold several lines). */
export function withLine(line: number, text: string, count = 1): string {
  const lines = BASE_FLEET.split('\n');
  lines.splice(line - 1, count, text);
  return lines.join('\n');
}

/** Located problem lines for a fleet text loaded as `f.yaml`; [] when it loads. */
export function problemLines(text: string, options: LoadOptions = {}): string[] {
  const result = loadFleetFromString(text, 'f.yaml', { env: {}, ...options });
  return result.ok ? [] : result.problems.map(formatProblem);
}
