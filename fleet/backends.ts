/**
 * Terraform backends a stack can use, each with its settings as cdktf's backend classes take them
 * (`S3BackendConfig`, `PgBackendConfig` … in cdktf 0.21, lib/backends/*.d.ts): camelCase keys, scalar
 * values, a few nested mappings for s3. Exactly these types are supported by stacks/backend.ts; a test
 * keeps the two lists equal. Values are strings, whole numbers or booleans, never null, so nothing that
 * cdktf would read as a token or Terraform would reject reaches the backend block.
 */
import { z } from 'zod';

const str = z.string().min(1);
const strings = z.array(str);
const bool = z.boolean();
/** Retry counts and waits: small whole numbers (also keeps cdktf's token-encoded doubles out). */
const smallCount = z.int().nonnegative().max(1_000_000);
const stringMap = z.record(z.string(), str);

const S3_ASSUME_ROLE = z
  .object({
    roleArn: str, duration: str.optional(), externalId: str.optional(), policy: str.optional(), policyArns: strings.optional(),
    sessionName: str.optional(), sourceIdentity: str.optional(), tags: stringMap.optional(), transitiveTagKeys: strings.optional(),
  })
  .strict();

const S3_ASSUME_ROLE_WEB_IDENTITY = z
  .object({
    roleArn: str.optional(), duration: str.optional(), policy: str.optional(), policyArns: strings.optional(), sessionName: str.optional(),
    webIdentityToken: str.optional(), webIdentityTokenFile: str.optional(),
  })
  .strict();

/** Settings of each remote backend type (local has only `path`, see schema.ts). */
export const REMOTE_BACKEND_SETTINGS = {
  s3: {
    bucket: str, key: str, region: str.optional(), endpoint: str.optional(), encrypt: bool.optional(), acl: str.optional(),
    accessKey: str.optional(), secretKey: str.optional(), kmsKeyId: str.optional(), dynamodbTable: str.optional(), profile: str.optional(),
    sharedCredentialsFile: str.optional(), token: str.optional(), roleArn: str.optional(), assumeRolePolicy: str.optional(),
    assumeRolePolicyArns: strings.optional(), assumeRoleTags: stringMap.optional(), assumeRoleTransitiveTagKeys: strings.optional(),
    externalId: str.optional(), sessionName: str.optional(), workspaceKeyPrefix: str.optional(), dynamodbEndpoint: str.optional(),
    iamEndpoint: str.optional(), stsEndpoint: str.optional(), stsRegion: str.optional(), forcePathStyle: bool.optional(),
    usePathStyle: bool.optional(), skipCredentialsValidation: bool.optional(), skipRegionValidation: bool.optional(),
    skipRequestingAccountId: bool.optional(), skipMetadataApiCheck: bool.optional(), skipS3Checksum: bool.optional(),
    sseCustomerKey: str.optional(), maxRetries: smallCount.optional(), useLegacyWorkflow: bool.optional(),
    allowedAccountIds: strings.optional(), forbiddenAccountIds: strings.optional(), customCaBundle: str.optional(),
    ec2MetadataServiceEndpoint: str.optional(), ec2MetadataServiceEndpointMode: str.optional(), httpProxy: str.optional(),
    httpsProxy: str.optional(), insecure: bool.optional(), noProxy: str.optional(), retryMode: str.optional(),
    sharedConfigFiles: strings.optional(), sharedCredentialsFiles: strings.optional(), endpoints: stringMap.optional(),
    assumeRole: S3_ASSUME_ROLE.optional(), assumeRoleWithWebIdentity: S3_ASSUME_ROLE_WEB_IDENTITY.optional(),
  },
  // Terraform's pg backend reads PG_CONN_STR when conn_str is absent (Terraform docs, "Backend Type: pg").
  pg: { connStr: str.optional(), schemaName: str.optional(), skipSchemaCreation: bool.optional(), skipTableCreation: bool.optional(), skipIndexCreation: bool.optional() },
  http: {
    address: str, updateMethod: str.optional(), lockAddress: str.optional(), lockMethod: str.optional(), unlockAddress: str.optional(),
    unlockMethod: str.optional(), username: str.optional(), password: str.optional(), skipCertVerification: bool.optional(),
    retryMax: smallCount.optional(), retryWaitMin: smallCount.optional(), retryWaitMax: smallCount.optional(),
    clientCertificatePem: str.optional(), clientPrivateKeyPem: str.optional(), clientCaCertificatePem: str.optional(),
  },
  // cdktf's ConsulBackendConfig types accessToken as required; Terraform also reads CONSUL_HTTP_TOKEN, so it stays optional.
  consul: {
    path: str, accessToken: str.optional(), address: str.optional(), scheme: str.optional(), datacenter: str.optional(), httpAuth: str.optional(),
    gzip: bool.optional(), lock: bool.optional(), caFile: str.optional(), certFile: str.optional(), keyFile: str.optional(),
  },
  gcs: {
    bucket: str, credentials: str.optional(), accessToken: str.optional(), prefix: str.optional(), encryptionKey: str.optional(),
    impersonateServiceAccount: str.optional(), impersonateServiceAccountDelegates: strings.optional(), kmsEncryptionKey: str.optional(),
    storeageCustomEndpoint: str.optional(),
  },
  azurerm: {
    storageAccountName: str, containerName: str, key: str, environment: str.optional(), endpoint: str.optional(), metadataHost: str.optional(),
    snapshot: bool.optional(), subscriptionId: str.optional(), tenantId: str.optional(), msiEndpoint: str.optional(), useMsi: bool.optional(),
    sasToken: str.optional(), accessKey: str.optional(), resourceGroupName: str.optional(), clientId: str.optional(), clientSecret: str.optional(),
    clientCertificatePassword: str.optional(), clientCertificatePath: str.optional(), useMicrosoftGraph: bool.optional(),
    oidcRequestUrl: str.optional(), oidcRequestToken: str.optional(), oidcToken: str.optional(), oidcTokenFilePath: str.optional(),
    useOidc: bool.optional(), useAzureadAuth: bool.optional(),
  },
} as const;

export type RemoteBackendType = keyof typeof REMOTE_BACKEND_SETTINGS;
export const REMOTE_BACKEND_TYPES = Object.keys(REMOTE_BACKEND_SETTINGS) as RemoteBackendType[];
/** Every backend type a stack may name. */
export const BACKEND_TYPE_NAMES: readonly string[] = ['local', ...REMOTE_BACKEND_TYPES];
