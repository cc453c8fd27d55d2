/**
 * What KVM and Xen hosts share: one libvirt connection (a `libvirt` provider with an alias per host), a
 * node-info data source with outputs that compare the declared size with the real host at plan time, and
 * the host's pools, networks and base images, each created once on first use.
 */
import { TerraformOutput } from './cdk-engine';
import { Construct } from 'constructs';
import type { DiskFormat, Host, Network as NetworkSpec, StoragePool as StoragePoolSpec } from '../fleet/model';
import { hostCapacity, type HostCapacity } from '../planner/capacity';
import { BaseImage, imageVolumeName } from './base-image';
import { GuestNetwork } from './guest-network';
import { DataLibvirtNodeInfo, LibvirtProvider } from './libvirt-bindings';
import { checkProps, type PropCheck } from './prop-checks';
import { StoragePool } from './storage-pool';
import { named, terraformId } from './terraform-id';
import { providerUri } from './provider-uri';
import { HOST_ADDRESS_PARTS, type HostOutputName } from '../fleet/terraform-names';

/** The fleet's pools and networks by name: what a host may be asked to define. */
export interface FleetCatalog {
  readonly pools: ReadonlyMap<string, StoragePoolSpec>;
  readonly networks: ReadonlyMap<string, NetworkSpec>;
}

/** What a VM needs from the host it runs on. */
export interface HostResources {
  readonly hostName: string;
  readonly hypervisor: Host['hypervisor'];
  readonly provider: LibvirtProvider;
  /** The fleet pool `name` on this host, defined on first use. */
  pool(name: string): StoragePool;
  /** The fleet network `name` on this host, defined on first use. */
  network(name: string): GuestNetwork;
  /** The base image `source` uploaded into pool `pool` of this host, uploaded once. */
  baseImage(pool: string, source: string, format: DiskFormat): BaseImage;
  /** Host CPUs guests may run on (a libvirt cpuset such as `4-31`); undefined = every CPU. */
  readonly guestCpuset?: string;
}

export interface LibvirtHostProps<H extends Host = Host> {
  readonly host: H;
  /**
   * Pools and networks of the fleet, for those this host's guests use.
   * @default - empty: asking the host for a pool or network throws
   */
  readonly catalog?: FleetCatalog;
}

const EMPTY_CATALOG: FleetCatalog = { pools: new Map(), networks: new Map() };
const KIB_PER_MIB = 1024;

const HOST_CHECKS: readonly PropCheck<LibvirtHostProps>[] = [
  {
    fails: (p) => !p.host.uri,
    message: (p) => `host '${p.host.name}' has no uri; set uri (e.g. qemu+ssh://root@${p.host.name}/system or xen+ssh://root@${p.host.name}/system)`,
  },
  {
    fails: (p) => !Number.isInteger(p.host.cpus) || p.host.cpus < 1,
    message: (p) => `host '${p.host.name}' has cpus ${p.host.cpus}; expected a whole number ≥ 1`,
  },
  {
    fails: (p) => !(p.host.memoryMiB > 0),
    message: (p) => `host '${p.host.name}' has memory ${p.host.memoryMiB} MiB; expected more than 0`,
  },
];

export abstract class LibvirtHost extends Construct implements HostResources {
  readonly host: Host;
  readonly provider: LibvirtProvider;
  /** Provider alias: the host name as a Terraform identifier (`kvm-a1` → `kvm_a1`). */
  readonly alias: string;
  readonly nodeInfo: DataLibvirtNodeInfo;
  /** Usable capacity, from the same function the planner places against. */
  readonly capacity: HostCapacity;
  /**
   * Shell script to run on the host before `terraform apply` (boot options, sysctls …); also emitted as the
   * output `<host>_host_preparation` and written by `hyperplan synth` to `host-prep/<host>.sh`.
   */
  abstract readonly hostPreparation: string;

  readonly #catalog: FleetCatalog;
  readonly #pools = new Map<string, StoragePool>();
  readonly #networks = new Map<string, GuestNetwork>();
  readonly #images = new Map<string, BaseImage>();
  readonly #imageSources = new Map<string, string>();

  protected constructor(scope: Construct, id: string, props: LibvirtHostProps) {
    super(scope, id);
    checkProps(this.node.path, props, HOST_CHECKS);
    const { host } = props;
    this.host = host;
    this.#catalog = props.catalog ?? EMPTY_CATALOG;
    this.alias = terraformId(host.name);
    this.capacity = hostCapacity(host);
    this.provider = new LibvirtProvider(this, 'provider', { alias: this.alias, uri: providerUri(host.uri) });
    this.nodeInfo = named(new DataLibvirtNodeInfo(this, 'node-info', { provider: this.provider }), host.name, ...HOST_ADDRESS_PARTS.nodeInfo());
    this.output('declared_vs_actual', 'Declared host size next to what libvirt reports at plan time; a mismatch means the fleet file is wrong.', {
      declared_cpus: host.cpus,
      actual_cpus: this.nodeInfo.cpuCoresTotal,
      declared_memory_kib: host.memoryMiB * KIB_PER_MIB,
      actual_memory_kib: this.nodeInfo.memoryTotalKb,
    });
    this.output('usable_capacity', 'What the planner places against: vCPUs and MiB after the host/Dom0 share, the Xen hypervisor, the hugepage pool and overcommit.', {
      cpu: this.capacity.cpu,
      memory_mib: this.capacity.memoryMiB,
      reserved_cpu: this.capacity.reservedCpu,
      reserved_memory_mib: this.capacity.reservedMemoryMiB,
      ...(this.capacity.hypervisorMemoryMiB > 0 ? { hypervisor_memory_mib: this.capacity.hypervisorMemoryMiB } : {}),
      ...(this.capacity.hugepageMiB > 0 ? { hugepage_mib: this.capacity.hugepageMiB } : {}),
    });
  }

  get hostName(): string {
    return this.host.name;
  }

  get hypervisor(): Host['hypervisor'] {
    return this.host.hypervisor;
  }

  pool(name: string): StoragePool {
    let pool = this.#pools.get(name);
    if (!pool) {
      const spec = this.#catalog.pools.get(name);
      if (!spec) throw new Error(`${this.node.path}: pool '${name}' is not in the fleet's pools; declare it under pools or fix the reference`);
      pool = new StoragePool(this, `pool-${name}`, { pool: spec, provider: this.provider, hostName: this.host.name });
      this.#pools.set(name, pool);
    }
    return pool;
  }

  network(name: string): GuestNetwork {
    let network = this.#networks.get(name);
    if (!network) {
      const spec = this.#catalog.networks.get(name);
      if (!spec) throw new Error(`${this.node.path}: network '${name}' is not in the fleet's networks; declare it under networks or fix the reference`);
      network = new GuestNetwork(this, `net-${name}`, { network: spec, provider: this.provider, hostName: this.host.name });
      this.#networks.set(name, network);
    }
    return network;
  }

  baseImage(pool: string, source: string, format: DiskFormat): BaseImage {
    const key = `${pool}\u0000${source}`;
    let image = this.#images.get(key);
    if (!image) {
      // The volume name is the file name, so two sources with one file name cannot share a pool.
      const volumeKey = `${pool}\u0000${imageVolumeName(source)}`;
      const clash = this.#imageSources.get(volumeKey);
      if (clash !== undefined) {
        throw new Error(
          `${this.node.path}: images '${clash}' and '${source}' would both be volume '${imageVolumeName(source)}' in pool '${pool}'; ` +
            'rename one of the files or put them in different pools',
        );
      }
      this.#imageSources.set(volumeKey, source);
      image = new BaseImage(this, `image-${this.#images.size}`, {
        source,
        format,
        pool: this.pool(pool).name,
        poolName: pool,
        provider: this.provider,
        hostName: this.host.name,
      });
      this.#images.set(key, image);
    }
    return image;
  }

  /** An output named `<host>_<name>`. */
  protected output(name: HostOutputName, description: string, value: unknown): TerraformOutput {
    return named(new TerraformOutput(this, name, { value, description }), this.host.name, name);
  }
}
