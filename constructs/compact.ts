/**
 * A lean `libvirt_domain` for fleets of thousands of VMs. The generated `Domain` class eagerly builds an
 * output-reference object for every nested attribute of the schema (thousands per domain) and emits every
 * unset attribute as `undefined` (~300 per domain), which cdktf's token resolution then walks one by one.
 * At 20,000 VMs that costs gigabytes and minutes. `CompactDomain` takes the same typed `DomainConfig`
 * (the attributes VirtualMachine sets), converts them with the generated `*ToTerraform` functions and
 * drops unset keys, so the JSON is identical and the schema types still check the config.
 */
import { TerraformResource } from './cdk-engine';
import type { Construct } from 'constructs';
import { asReadBackAfterImport, type ReadBackHost } from './domain-read-back';
import {
  Domain,
  domainClockToTerraform,
  domainCpuToTerraform,
  domainCpuTuneToTerraform,
  domainDevicesToTerraform,
  domainFeaturesToTerraform,
  domainMemoryBackingToTerraform,
  domainNumaTuneToTerraform,
  domainOsToTerraform,
  type DomainConfig,
} from './libvirt-bindings';

/** The domain attributes VirtualMachine renders. */
export type CompactDomainConfig = Pick<
  DomainConfig,
  | 'provider' | 'lifecycle' | 'dependsOn' | 'name' | 'type' | 'memory' | 'memoryUnit' | 'currentMemory' | 'currentMemoryUnit' | 'vcpu' | 'vcpuPlacement' | 'vcpuCpuset' | 'autostart'
  | 'running' | 'bootloader' | 'os' | 'cpu' | 'cpuTune' | 'features' | 'clock' | 'memoryBacking' | 'numaTune' | 'devices'
  | 'onPoweroff' | 'onReboot' | 'onCrash'
>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** `value` without `undefined` members of plain objects, recursively; tokens and class instances untouched. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== undefined) result[key] = withoutUndefined(item);
  }
  return result;
}

export class CompactDomain extends TerraformResource {
  static readonly tfResourceType = Domain.tfResourceType;
  #config: CompactDomainConfig;

  constructor(scope: Construct, id: string, config: CompactDomainConfig) {
    super(scope, id, {
      terraformResourceType: Domain.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'libvirt', providerVersion: '~> 0.9.7' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.#config = config;
  }

  /** The configuration as it is rendered. */
  get config(): Readonly<CompactDomainConfig> {
    return this.#config;
  }

  /**
   * Renders the configuration as provider v0.9.7 reads this domain back once imported (domain-read-back.ts),
   * so that an adopted domain plans no change.
   */
  renderAsReadBackAfterImport(host?: ReadBackHost): void {
    this.#config = asReadBackAfterImport(this.#config, host);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.#config;
    return withoutUndefined({
      name: c.name,
      type: c.type,
      memory: c.memory,
      memory_unit: c.memoryUnit,
      current_memory: c.currentMemory,
      current_memory_unit: c.currentMemoryUnit,
      vcpu: c.vcpu,
      vcpu_placement: c.vcpuPlacement,
      vcpu_cpuset: c.vcpuCpuset,
      on_poweroff: c.onPoweroff,
      on_reboot: c.onReboot,
      on_crash: c.onCrash,
      autostart: c.autostart,
      running: c.running,
      bootloader: c.bootloader,
      os: domainOsToTerraform(c.os),
      cpu: domainCpuToTerraform(c.cpu),
      cpu_tune: domainCpuTuneToTerraform(c.cpuTune),
      features: domainFeaturesToTerraform(c.features),
      clock: domainClockToTerraform(c.clock),
      memory_backing: domainMemoryBackingToTerraform(c.memoryBacking),
      numa_tune: domainNumaTuneToTerraform(c.numaTune),
      devices: domainDevicesToTerraform(c.devices),
    }) as Record<string, unknown>;
  }
}
