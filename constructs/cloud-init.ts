/**
 * The cloud-init seed of a VM: a `libvirt_cloudinit_disk` (an ISO labelled `cidata`, built on the machine
 * running Terraform) and a volume it is uploaded to, which the domain attaches read-only.
 */
import { Construct } from 'constructs';
import { parse, stringify } from 'yaml';
import type { CloudInit as CloudInitSpec } from '../fleet/model';
import { CloudinitDisk, Volume, type LibvirtProvider } from './libvirt-bindings';
import { named } from './terraform-id';
import { HOST_ADDRESS_PARTS } from '../fleet/terraform-names';

export interface CloudInitProps {
  /** Name of the VM; instance id and host name of the guest. */
  readonly vmName: string;
  readonly cloudInit: CloudInitSpec;
  /** Name (or reference to the name) of the pool the seed volume goes to. */
  readonly pool: string;
  readonly provider: LibvirtProvider;
  readonly hostName: string;
}

const CLOUD_CONFIG_HEADER = '#cloud-config';

function userDataObject(vmName: string, userData: string | undefined): Record<string, unknown> {
  if (userData === undefined) return {};
  const parsed: unknown = parse(userData);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(
      `vms[${vmName}].cloudInit.userData: expected cloud-config YAML (a mapping, usually starting with ${CLOUD_CONFIG_HEADER}), ` +
        `got ${JSON.stringify(userData.length > 60 ? `${userData.slice(0, 60)}…` : userData)}; ` +
        'to add sshKeys or a password the user data must be cloud-config, not a script',
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * User data with the fleet's SSH keys and password merged into the cloud-config. Without keys or a
 * password the user data is passed through untouched (comments and all).
 */
export function renderUserData(vmName: string, cloudInit: CloudInitSpec): string {
  const { userData, sshKeys, password } = cloudInit;
  if (sshKeys.length === 0 && !password && userData !== undefined) return userData;
  const config = userDataObject(vmName, userData);
  if (sshKeys.length > 0) {
    const existing = Array.isArray(config.ssh_authorized_keys) ? (config.ssh_authorized_keys as unknown[]) : [];
    config.ssh_authorized_keys = [...new Set([...existing, ...sshKeys])];
  }
  if (password) {
    // The one place the secret is revealed: cloud-init needs the value. It ends up in the Terraform JSON
    // and state, as any libvirt_cloudinit_disk content does; prefer SSH keys.
    config.password = password.reveal();
    const chpasswd = typeof config.chpasswd === 'object' && config.chpasswd !== null ? config.chpasswd : {};
    config.chpasswd = { expire: false, ...chpasswd };
  }
  return `${CLOUD_CONFIG_HEADER}\n${stringify(config, { lineWidth: 0 })}`;
}

/** NoCloud meta-data: a stable instance id (cloud-init runs once per id) and the host name. */
export function renderMetaData(vmName: string): string {
  return stringify({ 'instance-id': vmName, 'local-hostname': vmName });
}

export class CloudInit extends Construct {
  readonly disk: CloudinitDisk;
  readonly volume: Volume;

  constructor(scope: Construct, id: string, props: CloudInitProps) {
    super(scope, id);
    const { vmName, cloudInit } = props;
    this.disk = named(
      new CloudinitDisk(this, 'disk', {
        provider: props.provider,
        name: `${vmName}-cloudinit`,
        userData: renderUserData(vmName, cloudInit),
        metaData: renderMetaData(vmName),
        ...(cloudInit.networkConfig ? { networkConfig: cloudInit.networkConfig } : {}),
      }),
      props.hostName,
      ...HOST_ADDRESS_PARTS.cloudInitDisk(vmName),
    );
    this.volume = named(
      new Volume(this, 'volume', {
        provider: props.provider,
        name: `${vmName}-cloudinit.iso`,
        pool: props.pool,
        target: { format: { type: 'raw' } },
        create: { content: { url: this.disk.path } },
      }),
      props.hostName,
      ...HOST_ADDRESS_PARTS.cloudInitVolume(vmName),
    );
  }
}
