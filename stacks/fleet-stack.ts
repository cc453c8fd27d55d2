/**
 * Typed stacks: one Terraform state each, holding some hosts with their providers, the pools and networks
 * their guests use, the VMs the placement put on them and the migration pools they belong to.
 * `KvmStack` takes KVM hosts only and `XenStack` Xen hosts only — a compile-time error for typed code and a
 * runtime error for fleets from YAML; `HybridStack` takes both.
 */
import { join } from 'node:path';
import {
  deepMerge, DefaultTokenResolver, type IStackSynthesizer, type ISynthesisSession, StringConcat, TerraformDataSource, TerraformElement, TerraformOutput,
  TerraformResource, TerraformStack,
} from '../constructs/cdk-engine';
import type { Construct } from 'constructs';
import type { LibvirtHost } from '../constructs/host-provider';
import { KvmHost, type KvmHostSpec } from '../constructs/kvm-host';
import { MigrationPool } from '../constructs/migration-pool';
import { SECRET_VARIABLES_ID, SecretVariables } from '../constructs/secret-variables';
import { terraformId } from '../constructs/terraform-id';
import { VirtualMachine } from '../constructs/virtual-machine';
import { XenHost, type XenHostSpec } from '../constructs/xen-host';
import { effectiveVm } from '../fleet/effective-vm';
import { migrationPoolConstructId } from '../fleet/terraform-names';
import type { Fleet, Host, Hypervisor, StackBackend } from '../fleet/model';
import { isStateMove, type StateMove, type VmMove } from '../planner/moves';
import type { Placement } from '../planner/types';
import type { Finding } from '../policies/finding';
import { addBackend } from './backend';
import { placedFleetIndex } from './fleet-index';
import { isPlainLevel, type PlainResolveOptions, resolvedJson, resolvePlain, writeResolvedObject } from './plain-resolve';
import { PreRendered, RenderedOnWrite, stableJson, writeStableJsonFile } from '../io/stable-json';

export type { KvmHostSpec, XenHostSpec };
export type StackKind = Hypervisor | 'hybrid';

export interface FleetStackProps<H extends Host = Host> {
  readonly fleet: Fleet;
  readonly placement: Placement;
  /** Hosts this stack manages (each host belongs to exactly one stack). */
  readonly hosts: readonly H[];
  /** Where Terraform keeps this stack's state. @default - local, `terraform.<stack>.tfstate` */
  readonly backend?: StackBackend;
  /** Policy findings that concern this stack; any `error` fails synthesis. */
  readonly findings: readonly Finding[];
  /** Key of the secret variables' fingerprints (see constructs/secret-variables.ts). @default - no fingerprints */
  readonly fingerprintKey?: string;
  /**
   * Moves from the placement the VMs run in (`planMoves`): a live or observed move becomes `moved`
   * blocks for the domain and its volumes instead of a destroy and a create.
   * @default - none: a VM on a new host is destroyed on the old one and created on the new one
   */
  readonly moves?: readonly VmMove[];
}

export const isKvmHost = (host: Host): host is KvmHostSpec => host.hypervisor === 'kvm';
export const isXenHost = (host: Host): host is XenHostSpec => host.hypervisor === 'xen';

function describeFinding(finding: Finding): string {
  const where = finding.location ? ` (${finding.location.file}:${finding.location.line}:${finding.location.column})` : '';
  return `policy ${finding.ruleId} at ${finding.target}${where}: ${finding.message}`;
}

/** The resolver cdktf's own `resolve` helper uses (cdktf 0.21 lib/_tokens.js). */
const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/** The Terraform elements under `scope`, depth first, not entering nested stacks (cdktf's `terraformElements`). */
function terraformElements(scope: Construct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
}

/**
 * Re-homes a moved VM's state instead of recreating it: every resource of the VM gets a `moved` block
 * from the old host's address. Terraform then reads it through the new host's provider — a domain by
 * its UUID (provider 0.9.7 internal/provider/domain_resource.go Read: LookupDomainByUUID), a volume by
 * its key, the path, the same on shared storage and on the copy `--copy-storage-all` makes — and keeps
 * the state as applied. (An `import` instead fills the state from libvirt's XML — memory in KiB, MAC
 * addresses, every default — and the next plan rewrites 32 attribute paths in place, dropping the MACs:
 * measured end to end, test/e2e/moves.test.ts.)
 */
function rehome(machine: VirtualMachine, move: StateMove): void {
  const newPrefix = terraformId(move.to);
  const oldPrefix = terraformId(move.from);
  for (const resource of machine.node.findAll()) {
    if (!(resource instanceof TerraformResource)) continue;
    // Every address of a host's constructs is terraformId(host, ...parts) (fleet/terraform-names.ts).
    resource.moveFromId(`${resource.terraformResourceType}.${oldPrefix}${resource.friendlyUniqueId.slice(newPrefix.length)}`);
  }
}

/** What a stack holds once built. */
interface FleetStackContent {
  readonly hosts: readonly LibvirtHost[];
  readonly vms: readonly string[];
  readonly secrets: SecretVariables;
  readonly backendInitSecrets: readonly string[];
}

/**
 * Props now, or a function that gives them when synthesis starts (`prepareStack`): a construct API
 * whose hosts and VMs are added after the stack exists (`Fleet.addVm`) places the fleet only then.
 */
export type FleetStackPropsSource<H extends Host = Host> = FleetStackProps<H> | (() => FleetStackProps<H>);

/** Where a resource or data source body sits in the document: `resource`/`data`, type, name. */
const BODY_LEVEL = 3;

/**
 * Moves the resource and data source bodies of an element's fragment into `tf` as text, so that no
 * resolved copy of a body is built only to be rendered and dropped: written straight from the unresolved
 * body into the file (`writeResolvedObject`) when the writer reaches it (`RenderedOnWrite`, from a
 * fragment the element makes again then), so that no body's text exists as a string, let alone a whole
 * stack's (tens of megabytes, more than the rest of the document); a body that is not a plain object is rendered now
 * (`PreRendered`). Each body has one address (FleetStack validates that no two share one), so nothing
 * would have merged with it. Returns the rest of the fragment, still to be resolved; the bodies stay in
 * it when the fragment is not plain at those levels (a token there is cdktf's to resolve as a whole).
 */
function placeRenderedBodies(tf: Record<string, unknown>, element: TerraformElement, fragment: Record<string, unknown>, options: PlainResolveOptions): Record<string, unknown> {
  if (!isPlainLevel(fragment)) return fragment;
  const rest = { ...fragment };
  for (const kind of ['resource', 'data'] as const) {
    const blocks = fragment[kind];
    if (blocks === undefined) continue;
    if (!isPlainLevel(blocks) || !Object.values(blocks).every(isPlainLevel)) continue;
    const byType = (tf[kind] ??= {}) as Record<string, Record<string, unknown>>;
    for (const [type, bodies] of Object.entries(blocks as Record<string, Record<string, unknown>>)) {
      const byName = (byType[type] ??= {});
      for (const [name, body] of Object.entries(bodies)) {
        if (name in byName) throw new Error(`${kind} ${type}.${name} is defined twice`);
        if (isPlainLevel(body)) {
          byName[name] = new RenderedOnWrite((out) => writeResolvedObject(out, bodyAgain(element, kind, type, name), options, BODY_LEVEL), BODY_LEVEL);
          continue;
        }
        const text = resolvedJson(body, options, BODY_LEVEL);
        if (text !== undefined) byName[name] = new PreRendered(text || 'null', BODY_LEVEL);
      }
    }
    delete rest[kind];
  }
  return rest;
}

/**
 * The body at `kind.type.name` of a fragment `element` makes anew (`toTerraform` builds it from the
 * element's configuration each time). A plain object, as it was when the document was built: a plain
 * object always renders to text, never to nothing.
 */
function bodyAgain(element: TerraformElement, kind: 'resource' | 'data', type: string, name: string): Record<string, unknown> {
  const body = (element.toTerraform() as Record<string, Record<string, Record<string, unknown> | undefined> | undefined>)[kind]?.[type]?.[name];
  if (!isPlainLevel(body)) throw new Error(`${element.node.path}: ${kind} ${type}.${name} changed between building and writing the document`);
  return body;
}

/**
 * cdktf's synthesizer (`StackSynthesizer`, cdktf 0.21 lib/synthesize/synthesizer.js) runs the aspects and
 * validations, records the stack in the manifest and its annotations, then writes
 * `json-stable-stringify(stack.toTerraform())`: the whole resolved document as objects, then its text.
 * This one lets cdktf do all of that with a stand-in document and then writes the stack's own document in
 * its place: the same bytes (io/stable-json.ts), with each resource's objects dropped once its text is
 * made and the file written in pieces. HCL output (SYNTH_HCL_OUTPUT) is cdktf's alone.
 */
class FleetStackSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly stack: FleetStack,
    private readonly engine: IStackSynthesizer,
    private readonly standIn: (during: () => void) => void,
    private readonly write: (path: string) => void,
  ) {}

  synthesize(session: ISynthesisSession): void {
    if ((this.engine as unknown as { readonly hclOutput: boolean }).hclOutput) {
      this.engine.synthesize(session);
      return;
    }
    this.standIn(() => this.engine.synthesize(session));
    this.write(join(session.outdir, session.manifest.forStack(this.stack).synthesizedStackPath));
  }
}

export abstract class FleetStack extends TerraformStack {
  abstract readonly kind: StackKind;
  readonly #allowed: Hypervisor | undefined;
  #deferred: (() => FleetStackProps) | undefined;
  #content: FleetStackContent | undefined;
  /** Set while cdktf's synthesizer runs: `toTerraform` gives it a stand-in (FleetStackSynthesizer). */
  #standIn = false;

  protected constructor(scope: Construct, id: string, props: FleetStackPropsSource, allowed: Hypervisor | undefined) {
    super(scope, id);
    const standIn = (during: () => void): void => {
      this.#standIn = true;
      try {
        during();
      } finally {
        this.#standIn = false;
      }
    };
    this.synthesizer = new FleetStackSynthesizer(this, this.synthesizer, standIn, (path) => writeStableJsonFile(path, this.document(true)));
    this.#allowed = allowed;
    if (typeof props === 'function') this.#deferred = props;
    else this.#content = this.build(props);
  }

  /** The libvirt hosts of this stack (empty until a deferred stack is built). */
  get hosts(): readonly LibvirtHost[] {
    return this.#content?.hosts ?? [];
  }

  /** Names of the VMs this stack defines. */
  get vms(): readonly string[] {
    return this.#content?.vms ?? [];
  }

  /** Sensitive input variables holding the stack's secrets. */
  get secrets(): SecretVariables {
    if (!this.#content) throw new Error(`${this.node.path}: the stack is built when synthesis starts`);
    return this.#content.secrets;
  }

  /** Backend settings that are secrets: left out of the backend block, supplied at `terraform init`. */
  get backendInitSecrets(): readonly string[] {
    return this.#content?.backendInitSecrets ?? [];
  }

  private build(props: FleetStackProps): FleetStackContent {
    const allowed = this.#allowed;
    const wrong = allowed ? props.hosts.filter((h) => h.hypervisor !== allowed) : [];
    if (wrong.length > 0) {
      const list = wrong.map((h) => `'${h.name}' (${h.hypervisor})`).join(', ');
      throw new Error(
        `${this.node.path}: a ${allowed === 'kvm' ? 'KvmStack' : 'XenStack'} holds ${allowed} hosts only, got ${list}; ` +
          'move them to another stack or use a HybridStack',
      );
    }
    const secrets = new SecretVariables(this, SECRET_VARIABLES_ID, props.fingerprintKey === undefined ? {} : { fingerprintKey: props.fingerprintKey });
    const backendInitSecrets = addBackend(this, props.backend).initSecrets;
    const { fleet, placement } = props;
    const index = placedFleetIndex(fleet, placement);
    const hosts: LibvirtHost[] = [];
    const vms: string[] = [];
    const stateMoves = new Map((props.moves ?? []).filter(isStateMove).map((m) => [m.vm, m]));
    for (const host of props.hosts) {
      // Host['hypervisor'] is 'kvm' | 'xen', so a host that is not KVM is Xen.
      const construct = isKvmHost(host)
        ? new KvmHost(this, host.name, { host, catalog: index.catalog })
        : new XenHost(this, host.name, { host: host as XenHostSpec, catalog: index.catalog });
      hosts.push(construct);
      // Members of a migration pool define its shared storage even before a VM uses it, so a VM can be
      // migrated onto any member.
      for (const pool of index.migrationPoolsByHost.get(host.name) ?? []) if (pool.sharedStorage) construct.pool(pool.sharedStorage);
      for (const vm of index.vmsByHost.get(host.name) ?? []) {
        const machine = new VirtualMachine(construct, `vm-${vm.name}`, { effective: effectiveVm(fleet, vm, host.hypervisor), host: construct });
        vms.push(vm.name);
        const move = stateMoves.get(vm.name);
        if (move) rehome(machine, move);
      }
    }

    const stackHosts = new Set(props.hosts.map((h) => h.name));
    const pools = new Set(props.hosts.flatMap((h) => index.migrationPoolsByHost.get(h.name) ?? []));
    for (const pool of pools) {
      new MigrationPool(this, migrationPoolConstructId(pool.name), {
        pool,
        hosts: pool.hosts.map((name) => index.hosts.get(name)).filter((h): h is Host => h !== undefined),
        ...(index.headroom.has(pool.name) ? { headroom: index.headroom.get(pool.name)! } : {}),
      });
    }

    const errorFindings = props.findings.filter((f) => f.severity === 'error');
    const errors = errorFindings.map(describeFinding);
    const reported = new Set(errorFindings.map((f) => f.target));
    // An unplaced VM is missing from every stack's Terraform; each stack says which of its hosts refused
    // it, unless a policy error about the VM (the engine reports unplaced VMs too) already stops synthesis.
    for (const unplaced of placement.unplaced) {
      if (reported.has(`vms[${unplaced.vm}]`)) continue;
      const reasons = Object.entries(unplaced.reasons).filter(([host]) => stackHosts.has(host));
      const why = reasons.length > 0 ? reasons.map(([host, reason]) => `${host}: ${reason}`).join('; ') : 'no host of this stack was considered';
      errors.push(`unplaced VM ${unplaced.vm}: ${why}`);
    }
    this.node.addValidation({ validate: () => [...errors, ...this.duplicateAddresses()] });
    return { hosts, vms, secrets, backendInitSecrets };
  }

  /**
   * Builds a deferred stack. cdktf's own preparing pass resolves every element once more only to discover
   * cross-stack references. Fleet stacks never reference each other (a host and everything on it live in
   * one stack) and always have a backend, so that pass is skipped: it doubles synthesis time at fleet scale.
   */
  override prepareStack(): void {
    if (this.#deferred) {
      const props = this.#deferred;
      this.#deferred = undefined;
      this.#content = this.build(props());
    }
  }

  /**
   * cdktf's `toTerraform` (cdktf 0.21 lib/terraform-stack.js) resolves every element's fragment, merges the
   * fragments and then resolves the merged document once more: a second full pass over tens of megabytes at
   * fleet scale that changes nothing, since a resolved fragment holds no token left to resolve. This is the
   * same method without that pass; the metadata block, built from values cdktf did not resolve, is
   * resolved on its own. Raw stack overrides (`addOverride` on the stack; fleet stacks set none) may hold
   * tokens, so a stack with any keeps cdktf's method. The synthesized bytes are the same (test/stacks/fleet-stack.test.ts compares with cdktf's method).
   */
  override toTerraform(): Record<string, unknown> {
    return this.#standIn ? {} : this.document(false);
  }

  /** The stack's `cdk.tf.json` text: what cdktf writes for `toTerraform()`, byte for byte. */
  renderTerraform(): string {
    return stableJson(this.document(true)) ?? '';
  }

  /** `toTerraform`'s document; with `preRender`, resource and data source bodies are their text (rendered when written). */
  private document(preRender: boolean): Record<string, unknown> {
    const rawOverrides = (this as unknown as { readonly rawOverrides: Record<string, unknown> }).rawOverrides;
    if (Object.keys(rawOverrides).length > 0) return super.toTerraform() as Record<string, unknown>;
    // cdktf's Tokenization.resolve, with the token-free values walked without it (stacks/plain-resolve.ts).
    const options: PlainResolveOptions = { scope: this, resolver: TOKEN_RESOLVER };
    const resolve = (value: unknown): Record<string, unknown> => resolvePlain(value, options) as Record<string, unknown>;
    // cdktf's own source of the version (TerraformStack's constructor reads the same context key).
    const metadata: Record<string, unknown> = { version: this.node.tryGetContext('cdktfVersion') as unknown, stackName: this.node.id, backend: 'local', cloud: undefined };
    const elements = terraformElements(this);
    for (const element of elements) deepMerge(metadata, resolve(element.toMetadata()));
    const outputs: Record<string, unknown> = {};
    for (const element of elements) {
      if (!TerraformOutput.isTerraformOutput(element)) continue;
      deepMerge(outputs, element.node.path.split('/').reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? element.friendlyUniqueId : inner }), {}));
    }
    const tf: Record<string, unknown> = { '//': resolve({ metadata, outputs }) };
    for (const element of elements) {
      const fragment = element.toTerraform();
      deepMerge(tf, resolve(preRender ? placeRenderedBodies(tf, element, fragment, options) : fragment));
    }
    return tf;
  }

  /** Terraform resources in this stack (data sources and outputs not counted). */
  resourceCount(): number {
    return this.node.findAll().filter((c) => c instanceof TerraformResource).length;
  }

  /**
   * Addresses are built from names (`kvm-a1` + `web-1` → `kvm_a1_web_1`); two fleet names can map to the
   * same one (`web-1` and `web_1`), which Terraform JSON would silently merge.
   */
  private duplicateAddresses(): string[] {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const construct of this.node.findAll()) {
      const address =
        construct instanceof TerraformResource ? `${construct.terraformResourceType}.${construct.friendlyUniqueId}`
        : construct instanceof TerraformDataSource ? `data.${construct.terraformResourceType}.${construct.friendlyUniqueId}`
        : construct instanceof TerraformOutput ? `output.${construct.friendlyUniqueId}`
        : undefined;
      if (address === undefined) continue;
      const other = seen.get(address);
      if (other !== undefined) problems.push(`${construct.node.path} and ${other} both synthesize to ${address}; rename one of the fleet objects`);
      else seen.set(address, construct.node.path);
    }
    return problems;
  }
}

export class KvmStack extends FleetStack {
  readonly kind = 'kvm' as const;

  constructor(scope: Construct, id: string, props: FleetStackPropsSource<KvmHostSpec>) {
    super(scope, id, props, 'kvm');
  }
}

export class XenStack extends FleetStack {
  readonly kind = 'xen' as const;

  constructor(scope: Construct, id: string, props: FleetStackPropsSource<XenHostSpec>) {
    super(scope, id, props, 'xen');
  }
}

export class HybridStack extends FleetStack {
  readonly kind = 'hybrid' as const;

  constructor(scope: Construct, id: string, props: FleetStackPropsSource) {
    super(scope, id, props, undefined);
  }
}
