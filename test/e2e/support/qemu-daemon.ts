/**
 * A private `libvirtd` with libvirt's QEMU driver (and its network and storage drivers), for adopting
 * domains as a real KVM host reports them. It runs beside the test-driver daemons of the other e2e tests
 * and beside anything else on the machine:
 * - its own mount namespace, where temporary folders are bind-mounted over `/etc/libvirt` (its config,
 *   `qemu.conf` included, and the definitions it saves), `/run/libvirt`, `/var/lib/libvirt`,
 *   `/var/cache/libvirt` and `/var/log/libvirt`: a privileged daemon's QEMU, network and storage drivers
 *   use those fixed paths (src/qemu/qemu_conf.c virQEMUDriverConfigNew, `privileged` branch), which no
 *   option moves. Only the empty mount points are created on the machine when missing;
 * - its own network namespace: a NAT network's bridge, firewall rules and dnsmasq, and the guests' tap
 *   devices, exist only there; no guest traffic reaches the machine's network;
 * - its own PID namespace with bash as PID 1, which reaps the QEMU processes the daemon leaves to it (QEMU
 *   capability probes daemonize; as PID 1 libvirtd itself does not reap them, and each probe then waits
 *   20 s for a zombie to go away). Killing `unshare` (`--kill-child`) ends the namespace's init, and the
 *   kernel every process in it: daemon, guests and dnsmasq.
 * Debian's QEMU driver refuses to start without the `libvirt-qemu` user and `kvm` group that
 * `libvirt-daemon-system` creates (qemu_conf.c: `virGetUserID(QEMU_USER, …)` before qemu.conf is read,
 * measured: "Failed to parse user 'libvirt-qemu'"); the namespace gets a copy of /etc/passwd and
 * /etc/group that has them, so the machine's accounts are not touched. `qemu.conf` runs guests as root
 * with no security driver, as the provider's own CI does, and logs to files (no virtlogd here).
 *
 * The provider v0.9.7 dials `qemu:///system?socket=…` (no transport, no host: its local dialer, with the
 * socket from the query; internal/libvirt/dialers/factory.go, newLocalDialer) and rejects
 * `qemu+unix://…` ("unsupported transport: unix": only ssh, sshcmd, tcp and tls are transports there).
 * virsh accepts both, so the one URI serves both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface QemuDaemon {
  /** For the provider and for `virsh -c`. */
  readonly uri: string;
  /** The folder of the `dir` pool the test defines (outside the namespace's bind mounts). */
  readonly imagesDir: string;
  virsh(args: readonly string[]): string;
  stop(): void;
}

const START_TIMEOUT_MS = 20_000;
/** Debian's ids for the accounts libvirt-daemon-system creates (any free ids would do inside the namespace). */
const QEMU_ACCOUNTS = { passwd: 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin', group: ['kvm:x:64054:libvirt-qemu', 'libvirt-qemu:x:64055:libvirt-qemu'] };
const PRIVATE_DIRS = { etc: '/etc/libvirt', run: '/run/libvirt', lib: '/var/lib/libvirt', cache: '/var/cache/libvirt', log: '/var/log/libvirt' } as const;

function works(command: string, args: readonly string[]): boolean {
  return spawnSync(command, [...args], { stdio: 'ignore' }).status === 0;
}

/** Why no QEMU-driver host can run here, or undefined when one can. */
export function qemuHostMissing(): string | undefined {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return 'no usable /dev/kvm';
  }
  const tools: Array<[string, string[], string]> = [
    ['qemu-system-x86_64', ['--version'], 'qemu-system-x86'],
    ['qemu-img', ['--version'], 'qemu-utils'],
    ['dnsmasq', ['--version'], 'dnsmasq-base'],
    ['iptables', ['--version'], 'iptables'],
    ['unshare', ['--version'], 'util-linux'],
  ];
  for (const [command, args, debianPackage] of tools) if (!works(command, args)) return `no ${command} (Debian: ${debianPackage})`;
  if (process.getuid?.() !== 0) return 'the QEMU driver daemon runs as root (namespaces, bind mounts, a bridge)';
  return undefined;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Starts the daemon under `root`; throws with its log when it does not answer. */
export function startQemuDaemon(root: string): QemuDaemon {
  const dirs = Object.fromEntries(Object.keys(PRIVATE_DIRS).map((name) => [name, join(root, name)])) as Record<keyof typeof PRIVATE_DIRS, string>;
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const socketDir = join(root, 'sock');
  const imagesDir = join(root, 'images');
  mkdirSync(socketDir, { recursive: true });
  mkdirSync(imagesDir, { recursive: true });
  writeFileSync(join(dirs.etc, 'libvirtd.conf'), `unix_sock_dir = "${socketDir}"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n`);
  writeFileSync(join(dirs.etc, 'qemu.conf'), 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\nstdio_handler = "file"\n');
  const passwd = join(root, 'passwd');
  const group = join(root, 'group');
  writeFileSync(passwd, `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\n${QEMU_ACCOUNTS.passwd}\n`);
  writeFileSync(group, `${readFileSync('/etc/group', 'utf8').trimEnd()}\n${QEMU_ACCOUNTS.group.join('\n')}\n`);
  const init = join(root, 'init.sh');
  writeFileSync(
    init,
    [
      'set -e',
      `mount --bind ${passwd} /etc/passwd`,
      `mount --bind ${group} /etc/group`,
      ...Object.entries(PRIVATE_DIRS).flatMap(([name, path]) => [`mkdir -p ${path}`, `mount --bind ${dirs[name as keyof typeof PRIVATE_DIRS]} ${path}`]),
      'ip link set lo up',
      // In the background, so that bash stays PID 1 and reaps what the daemon orphans (see the header).
      `libvirtd -f ${PRIVATE_DIRS.etc}/libvirtd.conf -p ${join(root, 'libvirtd.pid')} > ${join(root, 'libvirtd.log')} 2>&1 &`,
      'wait',
      '',
    ].join('\n'),
  );
  const namespace: ChildProcess = spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', '--mount', '--propagation', 'private', '--net', 'bash', init], { stdio: 'ignore' });
  const stop = (): void => {
    namespace.kill('SIGKILL');
  };
  const socket = join(socketDir, 'libvirt-sock');
  const uri = `qemu:///system?socket=${socket}`;
  const virsh = (args: readonly string[]): string => {
    const run = spawnSync('virsh', ['-c', uri, ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`virsh ${args.join(' ')}: ${run.stderr.trim()}`);
    return run.stdout;
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!existsSync(socket) || !works('virsh', ['-c', uri, 'version'])) {
    if (Date.now() > deadline || namespace.exitCode !== null) {
      stop();
      const log = existsSync(join(root, 'libvirtd.log')) ? readFileSync(join(root, 'libvirtd.log'), 'utf8').slice(-2000) : '';
      throw new Error(`libvirtd with the QEMU driver did not answer on ${socket}\n${log}`);
    }
    sleep(100);
  }
  return { uri, imagesDir, virsh, stop };
}
