/**
 * `Fleet`: the construct-first API. A fleet is described with the same shapes as `fleet.yaml` (props,
 * `addHost`/`addVm`/…, or `Fleet.fromFile`) and becomes one typed stack per `stacks` entry. Hosts and VMs
 * may be added after construction, so the fleet is validated and placed once, when synthesis starts
 * (the stacks' `prepareStack`), honouring a placement lock; policy checks are the `HyperplanChecks` aspect.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Construct } from 'constructs';
import { Aspects } from '../constructs/cdk-engine';
import { formatPath, formatProblem } from '../fleet/problems';
import { loadFleet } from '../fleet/load';
import type { Fleet as FleetModel, Host } from '../fleet/model';
import {
  API_VERSION, type DefaultsInput, type FleetFileInput, type HostInput, type ImageInput, type MigrationPoolInput, type NetworkInput,
  type StackInput, type StoragePoolInput, type VmInput,
} from '../fleet/schema';
import { stackSpecs } from '../fleet/stack-specs';
import { validateFleetData } from '../fleet/validate';
import { parseLock } from '../planner/lock';
import { plan } from '../planner/plan';
import { stackMembershipProblems } from '../stacks/fleet-app';
import { HybridStack, isKvmHost, isXenHost, KvmStack, XenStack, type FleetStack, type FleetStackProps } from '../stacks/fleet-stack';
import type { KvmHostSpec, XenHostSpec } from '../stacks/fleet-stack';
import { HyperplanChecks } from './hyperplan-checks';
import { FleetPropsError } from './props-error';
import type { FleetScope, ResolvedFleet } from './resolved-fleet';

export type { ResolvedFleet };

/** Where `hyperplan plan --write-lock` keeps placements, beside a fleet file. */
const LOCK_FILE_NAME = 'hyperplan.lock.json';

/** The sections of a fleet file, as props: every key typed as in `fleet.yaml`. */
export interface FleetSections {
  /** Overcommit, reservations and placement strategy. @default - the file format's defaults */
  readonly defaults?: DefaultsInput;
  /** @default - none; add them with `addHost` */
  readonly hosts?: readonly HostInput[];
  /** @default - none */
  readonly migrationPools?: readonly MigrationPoolInput[];
  /** @default - none */
  readonly networks?: readonly NetworkInput[];
  /** @default - none */
  readonly pools?: readonly StoragePoolInput[];
  /** @default - none */
  readonly images?: readonly ImageInput[];
  /** @default - none; add them with `addVm` */
  readonly vms?: readonly VmInput[];
  /**
   * Stacks (one Terraform state each) and the hosts they hold.
   * @default - one stack named after the fleet's construct id, holding every host
   */
  readonly stacks?: readonly StackInput[];
}

/** Options shared by `new Fleet` and `Fleet.fromFile`. */
export interface FleetOptions {
  /**
   * Placement lock to keep (written by `hyperplan plan --write-lock`); a missing file is an error.
   * @default - `hyperplan.lock.json` beside the fleet file when there is one (`fromFile`), else a fresh placement
   */
  readonly lockFile?: string;
  /** Environment for `${env:NAME}` secrets. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Key of the secret variables' HMAC fingerprints (see the README). @default - no fingerprints */
  readonly fingerprintKey?: string;
}

export interface FleetProps extends FleetSections, FleetOptions {
  /** Directory that relative paths (cloud-init files, `${file:…}` secrets) start from. @default process.cwd() */
  readonly baseDir?: string;
}


type Source = { readonly kind: 'props'; readonly props: FleetProps } | { readonly kind: 'file'; readonly model: FleetModel; readonly lockFile: string | undefined };

interface Sections {
  readonly hosts: HostInput[];
  readonly migrationPools: MigrationPoolInput[];
  readonly networks: NetworkInput[];
  readonly pools: StoragePoolInput[];
  readonly images: ImageInput[];
  readonly vms: VmInput[];
  readonly stacks: StackInput[];
}

/** The loaded file behind the props object `Fleet.fromFile` passes to the constructor. */
const FILE_SOURCES = new WeakMap<FleetProps, Source>();

/**
 * A KVM, Xen or hybrid fleet: hosts, networks, storage pools, VMs and migration pools, placed and
 * synthesized into `KvmStack` / `XenStack` / `HybridStack` children (one per stack).
 *
 * ```ts
 * const fleet = new Fleet(app, 'site-a', { defaults: { placement: { strategy: 'spread' } } });
 * fleet.addHost({ name: 'kvm-a1', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-a1/system', cpus: 64, memory: '512GiB' });
 * fleet.addVm({ name: 'web-1', vcpus: 4, memory: '8GiB', disks: [{ size: '40GiB', pool: 'images' }], networks: ['prod'] });
 * ```
 */
export class Fleet extends Construct implements FleetScope {
  /**
   * A fleet file (`fleet.yaml`, or JSON), with its `stacks` as written (one per hypervisor kind when it
   * has none) and `hyperplan.lock.json` beside it when present: the stacks and Terraform of
   * `hyperplan synth`, but for cdktf's `//` metadata, whose construct paths start with this fleet's id.
   * Throws `FleetPropsError` with every problem located as `file:line:column: path: message`.
   */
  static fromFile(scope: Construct, id: string, file: string, options: FleetOptions = {}): Fleet {
    const loaded = loadFleet(file, { env: options.env ?? process.env });
    if (!loaded.ok) throw new FleetPropsError(loaded.problems.map(formatProblem));
    const besideFile = join(dirname(file), LOCK_FILE_NAME);
    const lockFile = options.lockFile ?? (existsSync(besideFile) ? besideFile : undefined);
    const props: FleetProps = options.fingerprintKey === undefined ? {} : { fingerprintKey: options.fingerprintKey };
    FILE_SOURCES.set(props, { kind: 'file', model: loaded.fleet, lockFile });
    return new Fleet(scope, id, props);
  }

  /** True for a `Fleet` (also across copies of this library). */
  static isFleet(x: unknown): x is Fleet {
    return typeof x === 'object' && x !== null && FLEET_SYMBOL in x;
  }

  readonly #source: Source;
  readonly #fingerprintKey: string | undefined;
  #defaults: DefaultsInput | undefined;
  readonly #sections: Sections = { hosts: [], migrationPools: [], networks: [], pools: [], images: [], vms: [], stacks: [] };
  #defaultStack: FleetStack | undefined;
  #resolved: ResolvedFleet | undefined;

  constructor(scope: Construct, id: string, props: FleetProps = {}) {
    super(scope, id);
    Object.defineProperty(this, FLEET_SYMBOL, { value: true });
    this.#source = FILE_SOURCES.get(props) ?? { kind: 'props', props };
    this.#fingerprintKey = props.fingerprintKey;
    if (this.#source.kind === 'file') {
      const model = this.#source.model;
      for (const spec of stackSpecs(model)) {
        const hosts = spec.hosts.map((name) => model.hosts.find((h) => h.name === name)).filter((h): h is Host => h !== undefined);
        this.#newStack(spec.name, hosts);
      }
      return;
    }
    this.#defaults = props.defaults;
    for (const [key, items] of Object.entries(this.#sections) as [keyof Sections, unknown[]][]) {
      items.push(...((props[key] as readonly unknown[] | undefined) ?? []));
    }
    for (const stack of this.#sections.stacks) this.#newStack(stack.name, []);
    if (this.#sections.stacks.length === 0) this.#defaultStack = this.#newStack(id, []);
  }

  /** Adds a host (the shape of an entry of `hosts` in `fleet.yaml`). */
  addHost(host: HostInput): this {
    return this.#add('hosts', host);
  }

  /** Adds a VM (the shape of an entry of `vms`); the planner chooses its host unless it names one. */
  addVm(vm: VmInput): this {
    return this.#add('vms', vm);
  }

  addNetwork(network: NetworkInput): this {
    return this.#add('networks', network);
  }

  addPool(pool: StoragePoolInput): this {
    return this.#add('pools', pool);
  }

  addImage(image: ImageInput): this {
    return this.#add('images', image);
  }

  addMigrationPool(pool: MigrationPoolInput): this {
    return this.#add('migrationPools', pool);
  }

  /** Adds a stack; the first one replaces the default stack (named after the fleet) that held every host. */
  addStack(stack: StackInput): this {
    this.#add('stacks', stack);
    if (this.#defaultStack) {
      this.node.tryRemoveChild(this.#defaultStack.node.id);
      this.#defaultStack = undefined;
    }
    this.#newStack(stack.name, []);
    return this;
  }

  /** The stacks of this fleet. */
  get stacks(): readonly FleetStack[] {
    return this.node.children.filter((c): c is FleetStack => c instanceof KvmStack || c instanceof XenStack || c instanceof HybridStack);
  }

  /** The fleet as it would be written in a file (the props and everything added since). */
  toInput(): FleetFileInput {
    const s = this.#sections;
    const stacks = s.stacks.length > 0 ? [...s.stacks] : [{ name: this.node.id, hosts: s.hosts.map((h) => h.name) }];
    return {
      apiVersion: API_VERSION,
      ...(this.#defaults === undefined ? {} : { defaults: this.#defaults }),
      hosts: [...s.hosts], migrationPools: [...s.migrationPools], networks: [...s.networks], pools: [...s.pools],
      images: [...s.images], vms: [...s.vms], stacks,
    };
  }

  /**
   * Validates and places the fleet, once (the first call; synthesis makes it). Throws `FleetPropsError`
   * listing every problem with its path.
   */
  resolve(): ResolvedFleet {
    if (this.#resolved) return this.#resolved;
    const model = this.#source.kind === 'file' ? this.#source.model : this.#validate(this.#source.props);
    const membership = stackMembershipProblems(model);
    if (membership.length > 0) throw new FleetPropsError(membership.map((p) => `${this.node.path}: ${p}`));
    const lockFile = this.#source.kind === 'file' ? this.#source.lockFile : this.#source.props.lockFile;
    this.#resolved = { model, placement: plan(model, lockFile === undefined ? undefined : this.#readLock(lockFile)) };
    return this.#resolved;
  }

  #add<K extends keyof Sections>(key: K, item: Sections[K][number]): this {
    if (this.#source.kind === 'file') throw new FleetPropsError([`${this.node.path}: a fleet read from a file is changed in its file, not with add methods`]);
    if (this.#resolved) throw new FleetPropsError([`${this.node.path}: ${key}: the fleet was already placed (synthesis started); add everything before app.synth()`]);
    (this.#sections[key] as unknown[]).push(item);
    return this;
  }

  #validate(props: FleetProps): FleetModel {
    const baseDir = props.baseDir ?? process.cwd();
    const result = validateFleetData(this.toInput(), {
      env: props.env ?? process.env,
      readRelative: (path) => readFileSync(resolve(baseDir, path), 'utf8'),
    });
    if (!result.ok) {
      throw new FleetPropsError(result.problems.map((p) => `${this.node.path}: ${p.path.length === 0 ? '(fleet)' : formatPath(p.path)}: ${p.message}`));
    }
    return { ...result.fleet, locations: {} };
  }

  #readLock(file: string) {
    if (!existsSync(file)) throw new FleetPropsError([`${file}: lock file not found`]);
    const parsed = parseLock(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) throw new FleetPropsError(parsed.problems);
    return parsed.lock;
  }

  /** A stack whose hosts, VMs and resources are built when synthesis starts. */
  #newStack(name: string, knownHosts: readonly Host[]): FleetStack {
    const props = (): FleetStackProps => {
      const { model, placement } = this.resolve();
      const spec = stackSpecs(model).find((s) => s.name === name);
      const hosts = (spec?.hosts ?? []).map((h) => model.hosts.find((host) => host.name === h)).filter((h): h is Host => h !== undefined);
      this.#inheritChecks(stack);
      return {
        fleet: model, placement, hosts, findings: [],
        ...(spec?.backend ? { backend: spec.backend } : {}),
        ...(this.#fingerprintKey === undefined ? {} : { fingerprintKey: this.#fingerprintKey }),
      };
    };
    // The class follows the hosts when they are known (a fleet file); otherwise a HybridStack takes any.
    const stack: FleetStack =
      knownHosts.length > 0 && knownHosts.every(isKvmHost) ? new KvmStack(this, name, props as () => FleetStackProps<KvmHostSpec>)
      : knownHosts.length > 0 && knownHosts.every(isXenHost) ? new XenStack(this, name, props as () => FleetStackProps<XenHostSpec>)
      : new HybridStack(this, name, props);
    return stack;
  }

  /**
   * cdktf invokes a stack's aspects from the stack down (`invokeAspects(stack)`), so an aspect added to
   * the app never reaches it; `Aspects.of(app).add(new HyperplanChecks())` is how cdk-nag is used, so the
   * checks found on the stack's ancestors are added to the stack itself.
   */
  #inheritChecks(stack: FleetStack): void {
    const own = Aspects.of(stack);
    for (const scope of stack.node.scopes.slice(0, -1)) {
      for (const aspect of Aspects.of(scope).all) if (aspect instanceof HyperplanChecks && !own.all.includes(aspect)) own.add(aspect);
    }
  }
}

const FLEET_SYMBOL = Symbol.for('hyperplan.Fleet');
