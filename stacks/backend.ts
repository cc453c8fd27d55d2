/**
 * The Terraform backend of a stack, from the fleet's `stacks[].backend`. Local state always gets an
 * explicit relative path: cdktf's default is an absolute path of the machine that ran synth, which would
 * make the output differ between machines.
 */
import {
  AzurermBackend, ConsulBackend, GcsBackend, HttpBackend, LocalBackend, PgBackend, S3Backend,
  type AzurermBackendConfig, type ConsulBackendConfig, type GcsBackendConfig, type HttpBackendConfig, type PgBackendConfig,
  type S3BackendConfig, type TerraformBackend, type TerraformStack,
} from 'cdktf';
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
 * Secrets in backend settings (passwords, access keys) are revealed here because Terraform reads them
 * from the backend block; they end up in `cdk.tf.json`. Prefer the backends' own environment variables
 * (AWS_*, PG_CONN_STR …) where the backend supports them.
 */
function revealSecrets(value: unknown): unknown {
  if (value instanceof Secret) return value.reveal();
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revealSecrets(item)]));
  }
  return value;
}

/** Adds the backend to `stack`; no backend means local state at `terraform.<stack>.tfstate`. */
export function addBackend(stack: TerraformStack, backend: StackBackend | undefined): TerraformBackend {
  const type = backend?.type ?? 'local';
  if (!isBackendType(type)) {
    throw new Error(`${stack.node.path}: backend type '${type}' is not supported; use one of ${BACKEND_TYPES.join(', ')}`);
  }
  return BACKENDS[type](stack, revealSecrets(backend?.config ?? {}) as Config);
}
