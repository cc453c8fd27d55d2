/**
 * The Terraform backend of a stack, from the fleet's `stacks[].backend`. Local state always gets an
 * explicit relative path: cdktf's default is an absolute path of the machine that ran synth, which would
 * make the output differ between machines.
 */
import {
  AzurermBackend, ConsulBackend, GcsBackend, HttpBackend, LocalBackend, PgBackend, S3Backend,
  type AzurermBackendConfig, type ConsulBackendConfig, type GcsBackendConfig, type HttpBackendConfig, type PgBackendConfig,
  type S3BackendConfig, type TerraformBackend, type TerraformStack,
} from '../constructs/cdk-engine';
import type { StackBackend } from '../fleet/model';
import { defaultStatePath } from '../fleet/normalize';
import { Secret } from '../fleet/secret';
import type { RemoteBackendType } from '../fleet/backends';

type Config = Record<string, unknown>;

/** Backend types hyperplan can configure, and how. */
const BACKENDS: Record<'local' | RemoteBackendType, (stack: TerraformStack, config: Config) => TerraformBackend> = {
  local: (stack, config) => new LocalBackend(stack, { ...config, path: typeof config.path === 'string' ? config.path : defaultStatePath(stack.node.id) }),
  s3: (stack, config) => new S3Backend(stack, config as unknown as S3BackendConfig),
  pg: (stack, config) => new PgBackend(stack, config as unknown as PgBackendConfig),
  http: (stack, config) => new HttpBackend(stack, config as unknown as HttpBackendConfig),
  consul: (stack, config) => new ConsulBackend(stack, config as unknown as ConsulBackendConfig),
  gcs: (stack, config) => new GcsBackend(stack, config as unknown as GcsBackendConfig),
  azurerm: (stack, config) => new AzurermBackend(stack, config as unknown as AzurermBackendConfig),
};

export const BACKEND_TYPES: readonly string[] = Object.keys(BACKENDS);

function isBackendType(type: string): type is keyof typeof BACKENDS {
  return Object.hasOwn(BACKENDS, type);
}

/**
 * Backend settings without their secrets (passwords, access keys): a backend block cannot take variables,
 * so a secret there would be a literal in `cdk.tf.json`. They are left out and listed (dotted key paths) for
 * `terraform init -backend-config=KEY=VALUE` or the backend's own environment variables (PG_CONN_STR,
 * AWS_SECRET_ACCESS_KEY …) (Terraform docs, "Backend Configuration": partial configuration).
 */
function withoutSecrets(value: unknown, path: string, left: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => withoutSecrets(item, `${path}[${i}]`, left));
  if (typeof value === 'object' && value !== null && !(value instanceof Secret)) {
    const kept: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      // Named as Terraform names them (cdktf writes backend settings in snake_case).
      const at = `${path === '' ? '' : `${path}.`}${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
      if (item instanceof Secret) left.push(at);
      else kept.push([key, withoutSecrets(item, at, left)]);
    }
    return Object.fromEntries(kept);
  }
  return value;
}

export interface StackBackendResult {
  readonly backend: TerraformBackend;
  /** Settings that are secrets, left out of the block: supplied at `terraform init`. */
  readonly initSecrets: readonly string[];
}

/** Adds the backend to `stack` (secrets left out); no backend means local state at `terraform.<stack>.tfstate`. */
export function addBackend(stack: TerraformStack, backend: StackBackend | undefined): StackBackendResult {
  const type = backend?.type ?? 'local';
  if (!isBackendType(type)) {
    throw new Error(`${stack.node.path}: backend type '${type}' is not supported; use one of ${BACKEND_TYPES.join(', ')}`);
  }
  const initSecrets: string[] = [];
  const config = withoutSecrets(backend?.config ?? {}, '', initSecrets) as Config;
  return { backend: BACKENDS[type](stack, config), initSecrets };
}
