/**
 * From one synthesized stack (`cdk.tf.json`) to libvirt XML files: resolves Terraform references to
 * concrete values, groups resources by the host whose provider alias they use, and renders each
 * domain, network, pool and volume. Pure: the caller reads and writes files.
 */
import { RESOURCE_TYPES, type ResourceType } from './mapping-table';
import { isObject, renderResource, type ResourceBody } from './render-resource';

/** Directory a volume lands in when its pool's target path cannot be determined (libvirt's default pool). */
export const DEFAULT_IMAGE_DIR = '/var/lib/libvirt/images';

/**
 * Capacity rendered for a volume filled by upload (`create.content.url`) without a declared capacity:
 * the provider takes the real size from the upload, which is unknown before apply.
 */
export const UPLOAD_CAPACITY_PLACEHOLDER = 0;

/** The parts of `cdk.tf.json` the renderer reads. */
export interface SynthesizedStack {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, ResourceBody>>>>;
}

export type XmlKind = 'domain' | 'network' | 'pool' | 'volume';

export const KIND_OF: Readonly<Record<ResourceType, XmlKind>> = {
  libvirt_domain: 'domain',
  libvirt_network: 'network',
  libvirt_pool: 'pool',
  libvirt_volume: 'volume',
};

export interface RenderedFile {
  /** `<host>/<kind>s/<name>.xml`, relative to the stack's directory. */
  readonly path: string;
  readonly kind: XmlKind;
  readonly host: string;
  /** Terraform address, `libvirt_domain.kvm_a1_web_1`. */
  readonly address: string;
  /** libvirt object name. */
  readonly name: string;
  /** For volumes: the name of the pool they are created in. */
  readonly pool?: string;
  /** For volumes: the pool's target path when the stack defines the pool. */
  readonly poolPath?: string;
  readonly xml: string;
}

export interface RenderedStack {
  readonly files: readonly RenderedFile[];
  /** References the renderer could not resolve (left as `${…}` placeholders in the XML). */
  readonly problems: readonly string[];
}

export interface RenderOptions {
  /** Maps a provider alias (`kvm_a1`) to the host name used for directories (`kvm-a1`). @default identity */
  readonly hostOfAlias?: (alias: string) => string;
}

const REFERENCE = /\$\{([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}/g;

interface Indexed {
  readonly type: string;
  readonly id: string;
  readonly body: ResourceBody;
}

class Resolver {
  readonly problems: string[] = [];
  readonly #resources = new Map<string, Indexed>();
  readonly #resolving = new Set<string>();

  constructor(stack: SynthesizedStack) {
    for (const [type, byId] of Object.entries(stack.resource ?? {})) {
      for (const [id, body] of Object.entries(byId)) this.#resources.set(`${type}.${id}`, { type, id, body });
    }
  }

  resolve(value: unknown, where: string): unknown {
    if (typeof value === 'string') return this.#resolveString(value, where);
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, where));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, this.resolve(child, where)]));
    }
    return value;
  }

  #resolveString(text: string, where: string): string {
    return text.replace(REFERENCE, (whole, type: string, id: string, attribute: string) => {
      const resolved = this.#attribute(`${type}.${id}`, attribute);
      if (resolved === undefined) {
        this.problems.push(`${where}: cannot resolve ${whole}`);
        return whole;
      }
      return resolved;
    });
  }

  /** The value of `address.attribute`, computing what libvirt would compute for read-only ones. */
  #attribute(address: string, attribute: string): string | undefined {
    const target = this.#resources.get(address);
    if (!target || this.#resolving.has(address)) return undefined;
    this.#resolving.add(address);
    try {
      const declared = target.body[attribute];
      if (typeof declared === 'string' || typeof declared === 'number') return this.#resolveString(String(declared), address);
      const name = typeof target.body.name === 'string' ? this.#resolveString(target.body.name, address) : undefined;
      if (name === undefined) return undefined;
      // Read-only attributes: libvirt names objects by name, and puts volumes under their pool's target path.
      if (attribute === 'id') return name;
      if (attribute === 'path' || attribute === 'key') return this.volumePath(target.body.pool, name);
      return undefined;
    } finally {
      this.#resolving.delete(address);
    }
  }

  /** Where libvirt puts volume `name` of pool `pool` (volume path and key are the same for file pools). */
  volumePath(pool: unknown, name: string): string {
    return `${this.poolPath(pool) ?? DEFAULT_IMAGE_DIR}/${name}`;
  }

  poolPath(pool: unknown): string | undefined {
    const target = this.#poolBody(pool)?.target;
    return typeof target === 'object' && target !== null && 'path' in target && typeof target.path === 'string' ? target.path : undefined;
  }

  poolType(pool: unknown): string | undefined {
    const type = this.#poolBody(pool)?.type;
    return typeof type === 'string' ? type : undefined;
  }

  /** The stack's `libvirt_pool` named by a volume's `pool` (a name or a reference to one). */
  #poolBody(pool: unknown): ResourceBody | undefined {
    if (typeof pool !== 'string') return undefined;
    const poolName = this.#resolveString(pool, 'pool');
    for (const candidate of this.#resources.values()) {
      if (candidate.type === 'libvirt_pool' && candidate.body.name === poolName) return candidate.body;
    }
    return undefined;
  }
}

/** Terraform meta-arguments and cdktf's `//` metadata: not provider attributes, never XML. */
const META_ARGUMENTS = new Set(['//', 'provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'connection', 'provisioner']);

function providerAttributes(body: ResourceBody): ResourceBody {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !META_ARGUMENTS.has(key)));
}

function aliasOf(body: ResourceBody): string {
  const provider = body.provider;
  if (typeof provider !== 'string') return 'default';
  const dot = provider.indexOf('.');
  return dot < 0 ? 'default' : provider.slice(dot + 1);
}

/** Characters kept in file names; anything else (a `/` in a name) becomes `_`. */
function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Renders every libvirt domain, network, pool and volume of one stack, sorted by path. */
export function renderStack(stack: SynthesizedStack, options: RenderOptions = {}): RenderedStack {
  const hostOf = options.hostOfAlias ?? ((alias: string) => alias);
  const resolver = new Resolver(stack);
  const files: RenderedFile[] = [];
  const taken = new Set<string>();
  for (const type of RESOURCE_TYPES) {
    const byId = stack.resource?.[type] ?? {};
    for (const id of Object.keys(byId).sort()) {
      const address = `${type}.${id}`;
      const raw = providerAttributes(byId[id] ?? {});
      let body = resolver.resolve(raw, address) as ResourceBody;
      if (type === 'libvirt_volume' && body.capacity === undefined && body.create !== undefined) {
        body = { ...body, capacity: UPLOAD_CAPACITY_PLACEHOLDER };
      }
      // libvirt ignores a volume's <format> in a logical pool: an LV holds raw data (docs/storage.rst,
      // "Logical volume pool"); the end-to-end suite read back no <format> for such a volume.
      if (type === 'libvirt_volume' && resolver.poolType(body.pool) === 'logical' && isObject(body.target)) {
        const { format: _format, ...target } = body.target;
        body = { ...body, target };
      }
      const host = hostOf(aliasOf(byId[id] ?? {}));
      const kind = KIND_OF[type];
      const name = typeof body.name === 'string' ? body.name : id;
      let path = `${host}/${kind}s/${fileName(name)}.xml`;
      // Volume names are unique per pool only; disambiguate by pool when two pools share a name.
      if (taken.has(path) && typeof body.pool === 'string') path = `${host}/${kind}s/${fileName(body.pool)}.${fileName(name)}.xml`;
      taken.add(path);
      files.push({
        path,
        kind,
        host,
        address,
        name,
        ...(type === 'libvirt_volume' && typeof body.pool === 'string' ? { pool: body.pool } : {}),
        ...(type === 'libvirt_volume' && resolver.poolPath(body.pool) !== undefined ? { poolPath: resolver.poolPath(body.pool) } : {}),
        xml: renderResource(type, body),
      });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems: resolver.problems };
}

/** What the validator needs to know about each rendered file under `directory` (the stack's output). */
export function filesToCheck(rendered: RenderedStack, directory: string): Array<{ file: string; kind: XmlKind; pool?: string; poolFile?: string; poolPath?: string }> {
  const pools = new Map(rendered.files.filter((f) => f.kind === 'pool').map((f) => [`${f.host}/${f.name}`, f.path]));
  return rendered.files.map((f) => {
    const poolFile = f.pool === undefined ? undefined : pools.get(`${f.host}/${f.pool}`);
    return {
      file: `${directory}/${f.path}`,
      kind: f.kind,
      ...(f.pool !== undefined ? { pool: f.pool } : {}),
      ...(poolFile !== undefined ? { poolFile: `${directory}/${poolFile}` } : {}),
      ...(f.poolPath !== undefined ? { poolPath: f.poolPath } : {}),
    };
  });
}

/** Every `(type, body)` of the four rendered resource types in a stack, for coverage checks. */
export function libvirtResources(stack: SynthesizedStack): Array<{ type: ResourceType; address: string; body: ResourceBody }> {
  const out: Array<{ type: ResourceType; address: string; body: ResourceBody }> = [];
  for (const type of RESOURCE_TYPES) {
    for (const [id, body] of Object.entries(stack.resource?.[type] ?? {})) {
      out.push({ type, address: `${type}.${id}`, body: providerAttributes(body) });
    }
  }
  return out;
}
