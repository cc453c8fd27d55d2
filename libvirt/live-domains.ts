/**
 * Which domains a libvirt host really has, and their UUIDs: `virsh -c <uri> list --all --name`, then
 * `virsh -c <uri> domuuid <name>` for each (virsh(1): `list --name` prints one name per line, `domuuid`
 * the domain's UUID). virsh runs without a shell (arguments never pass through one), with a timeout, and
 * a failure names the URI it came from.
 */
import { execFile } from 'node:child_process';

/** How long one virsh call may take: an unreachable `qemu+ssh://` host otherwise hangs until SSH gives up. */
export const VIRSH_TIMEOUT_MS = 30_000;

export interface LiveDomain {
  readonly name: string;
  readonly uuid: string;
}

export class LiveHostError extends Error {
  override readonly name = 'LiveHostError';
  readonly uri: string;

  constructor(uri: string, message: string) {
    super(`${uri}: ${message}`);
    this.uri = uri;
  }
}

/** Runs virsh against `uri`; resolves with stdout, rejects with a LiveHostError naming the URI. */
function runVirsh(uri: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('virsh', ['-c', uri, ...args], { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'virsh not found (Debian: libvirt-clients)'
        : error.killed ? `virsh ${args[0]} took longer than ${timeoutMs / 1000} s`
        : stderr.trim().replace(/\s+/g, ' ') || error.message;
      reject(new LiveHostError(uri, `virsh ${args.join(' ')}: ${why}`));
    });
  });
}

/** Every domain defined or running on `uri` (names sorted), each with its UUID. */
export async function listLiveDomains(uri: string, timeoutMs: number = VIRSH_TIMEOUT_MS): Promise<LiveDomain[]> {
  const names = (await runVirsh(uri, ['list', '--all', '--name'], timeoutMs))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .sort();
  const domains: LiveDomain[] = [];
  for (const name of names) domains.push({ name, uuid: (await runVirsh(uri, ['domuuid', name], timeoutMs)).trim() });
  return domains;
}
