/**
 * cloud-config user data: the format hyperplan merges SSH keys and passwords into. cloud-init takes
 * user data as cloud-config only when its first line is `#cloud-config`, and a cloud-config document is
 * a YAML mapping (https://cloudinit.readthedocs.io/en/latest/explanation/format.html, "Cloud config
 * data"); a script (`#!`) or an include file cannot carry keys. Messages never quote the content: user
 * data is untrusted input and may hold anything.
 */
import { parseDocument } from 'yaml';

export const CLOUD_CONFIG_HEADER = '#cloud-config';

export type CloudConfigParse = { readonly ok: true; readonly config: Record<string, unknown> } | { readonly ok: false; readonly message: string };

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** The user data as a cloud-config mapping (empty for a header-only document), or why it is not one. */
export function parseCloudConfig(userData: string): CloudConfigParse {
  const firstLine = userData.split('\n', 1)[0]?.replace(/\r$/, '').trimEnd();
  if (firstLine !== CLOUD_CONFIG_HEADER) return { ok: false, message: `its first line is not '${CLOUD_CONFIG_HEADER}'` };
  const document = parseDocument(userData, { logLevel: 'silent', prettyErrors: false });
  const error = document.errors[0];
  if (error) return { ok: false, message: `it is not valid YAML (line ${error.linePos?.[0].line ?? '?'}: ${error.code})` };
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return { ok: true, config: {} };
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: `it is ${describeKind(value)}, not a YAML mapping` };
  return { ok: true, config: value as Record<string, unknown> };
}

/** Problem text for user data that keys or a password are merged into, or nothing when it is cloud-config. */
export function mergeableUserDataProblem(userData: string): string | undefined {
  const parsed = parseCloudConfig(userData);
  if (parsed.ok) return undefined;
  return `user data must be cloud-config to add sshKeys or a password, but ${parsed.message}; start it with '${CLOUD_CONFIG_HEADER}' and write a YAML mapping, or drop sshKeys and password`;
}
