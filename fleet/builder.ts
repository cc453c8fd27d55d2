/**
 * Fleets in code: the same shapes as the YAML file (sizes as strings with units), validated by the same
 * schema and normalizer. `build()` throws one error that lists every problem.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Fleet } from './model';
import { formatPath } from './problems';
import { API_VERSION } from './schema';
import type {
  DefaultsInput, FleetFileInput, HostInput, ImageInput, MigrationPoolInput, NetworkInput, StackInput, StoragePoolInput, VmInput,
} from './schema';
import { validateFleetData } from './validate';

export interface FleetBuilderOptions {
  /** Directory that relative paths (cloud-init files, `${file:…}` secrets) start from. @default process.cwd() */
  readonly baseDir?: string;
  /** Environment for `${env:NAME}` secrets. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Reads a file by absolute path. @default fs.readFileSync as UTF-8 */
  readonly readFile?: (path: string) => string;
}

export class FleetBuilder {
  readonly #options: FleetBuilderOptions;
  #defaults: DefaultsInput | undefined;
  readonly #hosts: HostInput[] = [];
  readonly #migrationPools: MigrationPoolInput[] = [];
  readonly #networks: NetworkInput[] = [];
  readonly #pools: StoragePoolInput[] = [];
  readonly #images: ImageInput[] = [];
  readonly #vms: VmInput[] = [];
  readonly #stacks: StackInput[] = [];

  constructor(options: FleetBuilderOptions = {}) {
    this.#options = options;
  }

  defaults(defaults: DefaultsInput): this {
    this.#defaults = defaults;
    return this;
  }

  host(host: HostInput): this {
    this.#hosts.push(host);
    return this;
  }

  migrationPool(pool: MigrationPoolInput): this {
    this.#migrationPools.push(pool);
    return this;
  }

  network(network: NetworkInput): this {
    this.#networks.push(network);
    return this;
  }

  pool(pool: StoragePoolInput): this {
    this.#pools.push(pool);
    return this;
  }

  image(image: ImageInput): this {
    this.#images.push(image);
    return this;
  }

  vm(vm: VmInput): this {
    this.#vms.push(vm);
    return this;
  }

  stack(stack: StackInput): this {
    this.#stacks.push(stack);
    return this;
  }

  /** The fleet as it would be written in a file. */
  toInput(): FleetFileInput {
    return {
      apiVersion: API_VERSION,
      ...(this.#defaults === undefined ? {} : { defaults: this.#defaults }),
      hosts: [...this.#hosts],
      migrationPools: [...this.#migrationPools],
      networks: [...this.#networks],
      pools: [...this.#pools],
      images: [...this.#images],
      vms: [...this.#vms],
      stacks: [...this.#stacks],
    };
  }

  /** Validates and normalizes; throws an Error listing every problem as `path: message`. */
  build(): Fleet {
    const baseDir = this.#options.baseDir ?? process.cwd();
    const readFile = this.#options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
    const result = validateFleetData(this.toInput(), {
      env: this.#options.env ?? process.env,
      readRelative: (path) => readFile(resolve(baseDir, path)),
    });
    if (!result.ok) {
      const lines = result.problems.map((p) => `  ${p.path.length === 0 ? '(fleet)' : formatPath(p.path)}: ${p.message}`);
      throw new Error(`invalid fleet (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    }
    return { ...result.fleet, locations: {} };
  }
}
