/**
 * The cloud-init seed of a VM: a `libvirt_cloudinit_disk` (an ISO labelled `cidata`, built on the machine
 * running Terraform) and a volume it is uploaded to, which the domain attaches read-only.
 */
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { CLOUD_CONFIG_HEADER, mergeableUserDataProblem, parseCloudConfig } from '../fleet/cloud-config';
import type { CloudInit as CloudInitSpec } from '../fleet/model';
import { CloudinitDisk, Volume, type LibvirtProvider } from './libvirt-bindings';
import { SecretVariables } from './secret-variables';
import { named } from './terraform-id';
import { HOST_ADDRESS_PARTS, LIBVIRT_NAMES } from '../fleet/terraform-names';

export interface CloudInitProps {
  /** Name of the VM; instance id and host name of the guest. */
  readonly vmName: string;
  readonly cloudInit: CloudInitSpec;
  /** Name (or reference to the name) of the pool the seed volume goes to. */
  readonly pool: string;
  readonly provider: LibvirtProvider;
  readonly hostName: string;
}

function userDataObject(vmName: string, userData: string | undefined): Record<string, unknown> {
  if (userData === undefined) return {};
  const parsed = parseCloudConfig(userData);
  // The fleet loader reports this with its location (fleet/validate.ts); code that builds a CloudInit
  // by hand gets the same words, never the content.
  if (!parsed.ok) throw new Error(`vms[${vmName}].cloudInit.userData: ${mergeableUserDataProblem(userData)}`);
  return parsed.config;
}

/** Stands in for the password while the YAML is written; the variable's expression replaces it after. */
const PASSWORD_SLOT = 'hyperplan-password-slot';

/**
 * Terraform reads every string in JSON configuration as a template, so literal `${` and `%{` (shell
 * variables in a runcmd, say) are escaped as `$${` and `%%{` (Terraform docs, "Strings and Templates":
 * escape sequences).
 */
export function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * User data with the fleet's SSH keys and password merged into the cloud-config, as a Terraform
 * template. Without keys or a password the user data is passed through untouched (comments and all).
 * The password is never written: `passwordExpression` (the `${jsonencode(var.…)}` of its sensitive
 * variable, a JSON string literal and so a YAML one) stands where the value goes, and Terraform fills it in.
 */
export function renderUserData(vmName: string, cloudInit: CloudInitSpec, passwordExpression?: string): string {
  const { userData, sshKeys, password } = cloudInit;
  if (sshKeys.length === 0 && !password && userData !== undefined) return escapeTemplate(userData);
  const config = userDataObject(vmName, userData);
  if (sshKeys.length > 0) {
    const existing = Array.isArray(config.ssh_authorized_keys) ? (config.ssh_authorized_keys as unknown[]) : [];
    config.ssh_authorized_keys = [...new Set([...existing, ...sshKeys])];
  }
  if (password) {
    if (passwordExpression === undefined) throw new Error(`vms[${vmName}].cloudInit.password: renderUserData needs the Terraform expression of the password's variable`);
    config.password = PASSWORD_SLOT;
    const chpasswd = typeof config.chpasswd === 'object' && config.chpasswd !== null ? config.chpasswd : {};
    config.chpasswd = { expire: false, ...chpasswd };
  }
  const text = escapeTemplate(`${CLOUD_CONFIG_HEADER}\n${stringify(config, { lineWidth: 0 })}`);
  // `password` is a top-level key of the mapping, so its line starts at column 0 after the header.
  return password ? text.replace(`\npassword: ${PASSWORD_SLOT}\n`, () => `\npassword: ${passwordExpression}\n`) : text;
}

/** NoCloud meta-data: a stable instance id (cloud-init runs once per id) and the host name. */
export function renderMetaData(vmName: string): string {
  if (isPlainYamlWord(vmName)) return `instance-id: ${vmName}\nlocal-hostname: ${vmName}\n`;
  return stringify({ 'instance-id': vmName, 'local-hostname': vmName });
}

/**
 * A fleet name (a letter, then letters, digits, `-` and `_`) that YAML 1.2's core schema does not read as
 * null or a boolean, which `stringify` therefore writes as it is, unquoted: the text is written directly
 * for those (10,000 VMs with cloud-init made `stringify` a tenth of building the stacks); everything
 * else takes `stringify`. test/constructs/cloud-init.test.ts compares the two.
 */
function isPlainYamlWord(text: string): boolean {
  return /^[a-z][a-z0-9_-]{0,62}$/i.test(text) && !/^(?:null|true|false)$/i.test(text);
}

export class CloudInit extends Construct {
  readonly disk: CloudinitDisk;
  readonly volume: Volume;

  constructor(scope: Construct, id: string, props: CloudInitProps) {
    super(scope, id);
    const { vmName, cloudInit } = props;
    const passwordExpression = cloudInit.password ? SecretVariables.of(this).jsonString(cloudInit.password, `vms[${vmName}].cloudInit.password`) : undefined;
    this.disk = named(
      new CloudinitDisk(this, 'disk', {
        provider: props.provider,
        name: LIBVIRT_NAMES.cloudInitDisk(vmName),
        userData: renderUserData(vmName, cloudInit, passwordExpression),
        metaData: renderMetaData(vmName),
        ...(cloudInit.networkConfig ? { networkConfig: escapeTemplate(cloudInit.networkConfig) } : {}),
      }),
      props.hostName,
      ...HOST_ADDRESS_PARTS.cloudInitDisk(vmName),
    );
    this.volume = named(
      new Volume(this, 'volume', {
        provider: props.provider,
        name: LIBVIRT_NAMES.cloudInitVolume(vmName),
        pool: props.pool,
        target: { format: { type: 'raw' } },
        create: { content: { url: this.disk.path } },
      }),
      props.hostName,
      ...HOST_ADDRESS_PARTS.cloudInitVolume(vmName),
    );
  }
}
