/**
 * Validation of libvirt XML files with the real libvirt tools (I/O):
 * (a) the RelaxNG schemas libvirt ships (one `xmllint` per schema type, all files at once);
 * (b) libvirt's own parser: the test driver inside `virsh`, against an empty node, no daemon;
 * (c) KVM domains: the embedded QEMU driver builds the QEMU command line (`domxml-to-native
 *     qemu-argv`) as an unprivileged user — the argv itself is never compared, the runner's CPU shapes it;
 * (d) our own checks for what libvirt misses offline (own-checks.ts).
 * Xen domains get (a), (b) and (d): libvirt's Xen converters need a running Dom0.
 */
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ownDomainChecks } from './own-checks';
import { qemuArgvCopy } from './qemu-argv-copy';
import type { XmlKind } from './render-stack';
import { DEFAULT_IMAGE_DIR } from './render-stack';
import { readXml } from './xml-read';

export type CheckName = 'schema' | 'parser' | 'qemu-argv' | 'own';

export interface XmlFileToCheck {
  /** Absolute path of the XML file. */
  readonly file: string;
  readonly kind: XmlKind;
  /** Volumes: the pool they are created in. */
  readonly pool?: string;
  /** Volumes: the pool's XML file, defined and started before the volume is created. */
  readonly poolFile?: string;
  /** Volumes: the pool's target path (for the disk paths of the qemu-argv check). */
  readonly poolPath?: string;
}

export interface CheckResult {
  readonly file: string;
  readonly check: CheckName;
  readonly ok: boolean;
  /** The tool's message on failure; on success a short note. */
  readonly message: string;
}

export interface ToolStatus {
  readonly xmllint: boolean;
  readonly virsh: boolean;
  /** libvirt's QEMU driver module and a qemu-system-x86_64 binary. */
  readonly qemuEmbed: boolean;
  /** Human-readable list of what is missing, with the Debian packages that provide it. */
  readonly missing: readonly string[];
}

const SCHEMA_OF: Readonly<Record<XmlKind, string>> = { domain: 'domain', network: 'network', pool: 'storagepool', volume: 'storagevol' };
export const LIBVIRT_SCHEMA_DIR = '/usr/share/libvirt/schemas';
/** The user the embedded QEMU driver runs as when we are root (as root it wants a libvirt-qemu user). */
const UNPRIVILEGED_UID = 65534;
const UNPRIVILEGED_GID = 65534;
/** virsh processes at once: each is short-lived and single-threaded. */
const PARALLEL = 4;
const DRIVER_DIRS = ['/usr/lib/x86_64-linux-gnu/libvirt/connection-driver', '/usr/lib64/libvirt/connection-driver', '/usr/lib/libvirt/connection-driver'];
/**
 * A firmware descriptor naming OVMF's secure-boot build, so `<os firmware='efi'>` resolves in the
 * embedded driver even where no OVMF package is installed (domxml-to-native does not open the file).
 */
const STUB_FIRMWARE_DESCRIPTOR = {
  description: 'hyperplan check: OVMF with Secure Boot (stub descriptor; the file is not read)',
  'interface-types': ['uefi'],
  mapping: {
    device: 'flash',
    executable: { filename: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd', format: 'raw' },
    'nvram-template': { filename: '/usr/share/OVMF/OVMF_VARS_4M.ms.fd', format: 'raw' },
  },
  targets: [{ architecture: 'x86_64', machines: ['pc-q35-*', 'pc-i440fx-*'] }],
  features: ['acpi-s3', 'enrolled-keys', 'requires-smm', 'secure-boot'],
  tags: [],
};

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', (error) => resolve({ code: 127, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, binary)));
}

/** Which of the tools the checks need are installed. */
export function libvirtTools(): ToolStatus {
  const xmllint = onPath('xmllint') && existsSync(join(LIBVIRT_SCHEMA_DIR, 'domain.rng'));
  const virsh = onPath('virsh');
  const driver = DRIVER_DIRS.some((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.includes('driver_qemu')));
  const qemuEmbed = virsh && driver && onPath('qemu-system-x86_64');
  const missing = [
    ...(xmllint ? [] : ['xmllint + libvirt schemas (apt-get install libxml2-utils libvirt-clients)']),
    ...(virsh ? [] : ['virsh (apt-get install libvirt-clients)']),
    ...(qemuEmbed ? [] : ['embedded QEMU driver (apt-get install libvirt-daemon-driver-qemu qemu-system-x86)']),
  ];
  return { xmllint, virsh, qemuEmbed, missing };
}

/** Error lines of a virsh run: its `error:` lines, else everything it printed on stderr. */
function errorText(result: Run): string {
  const lines = result.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => l.startsWith('error:')).map((l) => l.slice('error:'.length).trim());
  return (errors.length > 0 ? errors : lines).join('; ');
}

/** (a) One xmllint per schema type; its per-file output is split back to the files. */
export async function checkSchemas(files: readonly XmlFileToCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const kind of Object.keys(SCHEMA_OF) as XmlKind[]) {
    const group = files.filter((f) => f.kind === kind).map((f) => f.file);
    if (group.length === 0) continue;
    const rng = join(LIBVIRT_SCHEMA_DIR, `${SCHEMA_OF[kind]}.rng`);
    const outcome = await run('xmllint', ['--noout', '--relaxng', rng, ...group]);
    const lines = outcome.stderr.split('\n');
    for (const file of group) {
      const valid = lines.includes(`${file} validates`);
      const messages = lines.filter((l) => l.startsWith(`${file}:`)).map((l) => l.slice(file.length + 1).trim());
      results.push({
        file,
        check: 'schema',
        ok: valid,
        message: valid ? `valid against ${SCHEMA_OF[kind]}.rng` : messages.join('; ') || `fails to validate against ${SCHEMA_OF[kind]}.rng`,
      });
    }
  }
  return results;
}

function quoted(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}

/** Pool XML for volumes whose pool was not rendered: a plain directory pool. */
function fallbackPoolXml(name: string): string {
  return `<pool type='dir'><name>${name.replace(/[<&'>]/g, '_')}</name><target><path>${DEFAULT_IMAGE_DIR}</path></target></pool>\n`;
}

/** (b) libvirt's parser: the test driver in one virsh process per file, against an empty node. */
export async function checkParser(files: readonly XmlFileToCheck[], workDir: string): Promise<CheckResult[]> {
  const node = join(workDir, 'empty-node.xml');
  writeFileSync(node, '<node/>\n');
  const uri = `test://${node}`;
  return mapLimit(files, PARALLEL, async (item) => {
    let commands: string;
    switch (item.kind) {
      case 'domain': commands = `define ${quoted(item.file)}`; break;
      case 'network': commands = `net-define ${quoted(item.file)}`; break;
      case 'pool': commands = `pool-define ${quoted(item.file)}`; break;
      case 'volume': {
        const pool = item.pool ?? 'default';
        let poolFile = item.poolFile;
        if (!poolFile) {
          poolFile = join(workDir, `fallback-pool-${Buffer.from(pool).toString('hex')}.xml`);
          writeFileSync(poolFile, fallbackPoolXml(pool));
        }
        commands = `pool-define ${quoted(poolFile)}; pool-start ${quoted(pool)}; vol-create ${quoted(pool)} ${quoted(item.file)}`;
        break;
      }
    }
    const outcome = await run('virsh', ['-q', '-c', uri, commands]);
    const failed = outcome.code !== 0 || /(^|\n)error:/.test(outcome.stderr);
    // The test driver gives every pool a fixed 100 GiB; libvirt checks the space only after parsing the volume.
    if (failed && item.kind === 'volume' && /Not enough free space in pool/.test(outcome.stderr) && errorText(outcome).split('; ').length === 2) {
      return { file: item.file, check: 'parser' as const, ok: true, message: "accepted by libvirt's parser (capacity exceeds the test driver's fixed pool size, not checked)" };
    }
    return { file: item.file, check: 'parser' as const, ok: !failed, message: failed ? errorText(outcome) : 'accepted by libvirt (test driver)' };
  });
}

function kvmUsableBy(uid: number): boolean {
  if (!existsSync('/dev/kvm')) return false;
  if (uid === process.getuid?.()) {
    try {
      accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }
  return (statSync('/dev/kvm').mode & 0o006) === 0o006;
}

/** (c) KVM domains through the embedded QEMU driver, as an unprivileged user, in a fresh root. */
export async function checkQemuArgv(files: readonly XmlFileToCheck[], volumePaths: ReadonlyMap<string, string> = new Map()): Promise<CheckResult[]> {
  const domains = files.filter((f) => f.kind === 'domain');
  if (domains.length === 0) return [];
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? UNPRIVILEGED_UID : (process.getuid?.() ?? UNPRIVILEGED_UID);
  const root = mkdtempSync(join(tmpdir(), 'hyperplan-qemu-embed-'));
  try {
    const inputDir = join(root, 'in');
    const firmwareDir = join(root, 'config', 'qemu', 'firmware');
    mkdirSync(inputDir, { recursive: true });
    mkdirSync(firmwareDir, { recursive: true });
    writeFileSync(join(firmwareDir, '50-hyperplan-ovmf.json'), `${JSON.stringify(STUB_FIRMWARE_DESCRIPTOR, null, 2)}\n`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LC_ALL: 'C',
      HOME: root,
      XDG_CACHE_HOME: join(root, 'cache'),
      XDG_CONFIG_HOME: join(root, 'config'),
      XDG_RUNTIME_DIR: join(root, 'run'),
    };
    const kvmUsable = kvmUsableBy(uid);
    const prefix = asRoot
      ? (onPath('runuser') ? ['runuser', '-u', 'nobody', '--'] : ['setpriv', `--reuid=${UNPRIVILEGED_UID}`, `--regid=${UNPRIVILEGED_GID}`, '--clear-groups'])
      : [];
    const jobs: Array<{ file: string; copy: string; changes: readonly string[] }> = [];
    domains.forEach((item, index) => {
      const text = readFileSync(item.file, 'utf8');
      const read = readXml(text);
      if (!read.ok || (read.root.attributes.type !== 'kvm' && read.root.attributes.type !== 'qemu')) return;
      const copy = qemuArgvCopy(text, {
        kvmUsable,
        volumePath: (pool, volume) => volumePaths.get(`${pool}/${volume}`) ?? `${DEFAULT_IMAGE_DIR}/${volume}`,
      });
      if (!copy) return;
      const target = join(inputDir, `${index}.xml`);
      writeFileSync(target, copy.xml);
      jobs.push({ file: item.file, copy: target, changes: copy.changes });
    });
    if (asRoot) chownTree(root, UNPRIVILEGED_UID, UNPRIVILEGED_GID);
    const results: CheckResult[] = [];
    // One at a time: processes sharing an embedded root contend for its driver lock.
    for (const job of jobs) {
      const [command, ...args] = [...prefix, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v ?? ''}`), 'virsh', '-q', '-c', `qemu:///embed?root=${root}`, 'domxml-to-native', 'qemu-argv', job.copy];
      const outcome = await run(command as string, args, { PATH: env.PATH });
      const ok = outcome.code === 0 && outcome.stdout.includes('qemu-system');
      results.push({
        file: job.file,
        check: 'qemu-argv',
        ok,
        message: ok ? `QEMU command line built${job.changes.length > 0 ? ` (adjusted: ${job.changes.join('; ')})` : ''}` : errorText(outcome),
      });
    }
    return results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  chmodSync(path, 0o755);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

/** (d) Our own checks, for domains. */
export function checkOwn(files: readonly XmlFileToCheck[]): CheckResult[] {
  return files
    .filter((f) => f.kind === 'domain')
    .map((f) => {
      const findings = ownDomainChecks(readFileSync(f.file, 'utf8'));
      return {
        file: f.file,
        check: 'own' as const,
        ok: findings.length === 0,
        message: findings.length === 0 ? 'passes hyperplan checks' : findings.map((x) => `line ${x.line}: ${x.message}`).join('; '),
      };
    });
}

export interface ValidationReport {
  readonly results: readonly CheckResult[];
  /** Checks skipped because their tool is missing. */
  readonly skipped: readonly string[];
}

export const ALL_CHECKS: readonly CheckName[] = ['schema', 'parser', 'qemu-argv', 'own'];

/** Runs the chosen checks (default all) whose tools are installed; results sorted by file, then check. */
export async function validateXmlFiles(files: readonly XmlFileToCheck[], checks: readonly CheckName[] = ALL_CHECKS): Promise<ValidationReport> {
  const tools = libvirtTools();
  const work = mkdtempSync(join(tmpdir(), 'hyperplan-validate-'));
  try {
    const volumePaths = new Map(files.filter((f) => f.kind === 'volume' && f.pool).map((f) => {
      const name = readXml(readFileSync(f.file, 'utf8'));
      const volume = name.ok ? (name.root.children.find((c) => c.name === 'name')?.text ?? '') : '';
      return [`${f.pool}/${volume}`, `${f.poolPath ?? DEFAULT_IMAGE_DIR}/${volume}`] as const;
    }));
    const results = [
      ...(tools.xmllint && checks.includes('schema') ? await checkSchemas(files) : []),
      ...(tools.virsh && checks.includes('parser') ? await checkParser(files, work) : []),
      ...(tools.qemuEmbed && checks.includes('qemu-argv') ? await checkQemuArgv(files, volumePaths) : []),
      ...(checks.includes('own') ? checkOwn(files) : []),
    ];
    const order: Record<CheckName, number> = { schema: 0, parser: 1, 'qemu-argv': 2, own: 3 };
    results.sort((a, b) => (a.file === b.file ? order[a.check] - order[b.check] : a.file < b.file ? -1 : 1));
    return { results, skipped: tools.missing };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
