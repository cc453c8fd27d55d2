/**
 * One private `libvirtd` per fleet host, serving libvirt's test driver on a socket in a temporary folder.
 *
 * Measured here (shared/research/libvirt-daemon-e2e.md): the provider dials the socket named by `?socket=`
 * and passes `test:///default` to the daemon, whose test driver then defines domains, networks, pools and
 * volumes as a host would. One daemon per host because the test driver's `default` state is one host: two
 * fleet hosts with a network `prod` each would collide in one daemon. `LIBVIRT_DRIVER_DIR` points at an empty
 * folder so the daemon loads no hypervisor driver modules (the QEMU driver would need the `libvirt-qemu`
 * user of `libvirt-daemon-system`); the test driver is built into libvirt itself. The test driver's state
 * lives only while a connection is open, so each daemon gets a `virsh event --loop` holding one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostDaemon {
  readonly host: string;
  /** What the provider's `uri` becomes for this host. */
  readonly providerUri: string;
  /** The same connection for `virsh -c`. */
  readonly virshUri: string;
}

export interface DaemonSet {
  readonly hosts: ReadonlyMap<string, HostDaemon>;
  stop(): void;
}

const START_TIMEOUT_MS = 10_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Starts one daemon per host name under `root`; every daemon is stopped again if one fails to start. */
export function startDaemons(root: string, hostNames: readonly string[]): DaemonSet {
  const children: ChildProcess[] = [];
  const hosts = new Map<string, HostDaemon>();
  const stop = (): void => {
    for (const child of children.reverse()) child.kill('SIGTERM');
  };
  const noDrivers = join(root, 'no-drivers');
  mkdirSync(noDrivers, { recursive: true });
  try {
    for (const host of hostNames) {
      const dir = join(root, 'libvirtd', host);
      mkdirSync(dir, { recursive: true });
      const config = join(dir, 'libvirtd.conf');
      writeFileSync(config, `unix_sock_dir = "${dir}"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n`);
      const socket = join(dir, 'libvirt-sock');
      const daemon = spawn('libvirtd', ['-f', config, '-p', join(dir, 'pid')], {
        env: { ...process.env, LIBVIRT_DRIVER_DIR: noDrivers },
        stdio: 'ignore',
      });
      children.push(daemon);
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!existsSync(socket)) {
        if (Date.now() > deadline || daemon.exitCode !== null) throw new Error(`libvirtd for ${host} did not open ${socket}`);
        sleep(50);
      }
      const virshUri = `test+unix:///default?socket=${socket}`;
      children.push(spawn('virsh', ['-c', virshUri, 'event', '--all', '--loop'], { stdio: 'ignore' }));
      hosts.set(host, { host, providerUri: `test:///default?socket=${socket}`, virshUri });
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { hosts, stop };
}

/** `virsh -c uri args…`, stdout on success; throws with virsh's own message otherwise. */
export function virsh(daemon: HostDaemon, args: readonly string[]): string {
  const run = spawnSync('virsh', ['-c', daemon.virshUri, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`virsh ${args.join(' ')} on ${daemon.host}: ${run.stderr.trim()}`);
  return run.stdout;
}
