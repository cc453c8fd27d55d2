/**
 * The one validation pipeline behind the YAML loader and the builder: schema, names and references,
 * secret placement, then normalization. Every stage runs on whatever the earlier ones accepted, so a
 * single pass reports all problems.
 */
import type { z } from 'zod';
import type { Fleet, Vm } from './model';
import { mergeableUserDataProblem } from './cloud-config';
import type { PathProblem, PathSegment } from './problems';
import { Secret } from './secret';
import {
  defaultsSchema, fleetFileSchema, hostSchema, imageSchema, migrationPoolSchema, networkSchema, stackSchema, storagePoolSchema, vmSchema,
} from './schema';
import type { RawDefaults, Section } from './schema';
import { crossCheckProblems } from './cross-checks';
import { walkData } from './data-walk';
import { normalizeItems } from './normalize';
import { synthesisProblems, tokenProblems } from './synthesis-checks';
import type { ExternalInputs, Indexed, ValidItems } from './normalize';
import { misplacedSecretReferences, readProblem, resolveSecret } from './secret-refs';
import type { SecretSources } from './secret-refs';
import { issueMessage, issueProblems } from './schema-issues';

export type FleetWithoutSource = Omit<Fleet, 'file' | 'locations'>;

export type ValidationResult =
  | { readonly ok: true; readonly fleet: FleetWithoutSource }
  | { readonly ok: false; readonly problems: readonly PathProblem[] };

export const NOT_A_MAPPING = "the fleet file must be a mapping that starts with 'apiVersion: hyperplan/v1'";

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Items that pass their own schema, when the file as a whole did not. */
function validItemsOf(data: Record<string, unknown>): ValidItems {
  const pick = <T>(section: Section, schema: z.ZodType<T>): Indexed<T>[] => {
    const items = data[section];
    if (!Array.isArray(items)) return [];
    return items.flatMap((item: unknown, index) => {
      const parsed = schema.safeParse(item);
      return parsed.success ? [{ index, item: parsed.data }] : [];
    });
  };
  return {
    hosts: pick('hosts', hostSchema),
    migrationPools: pick('migrationPools', migrationPoolSchema),
    networks: pick('networks', networkSchema),
    pools: pick('pools', storagePoolSchema),
    images: pick('images', imageSchema),
    vms: pick('vms', vmSchema),
    stacks: pick('stacks', stackSchema),
  };
}

function indexed<T>(items: readonly T[]): Indexed<T>[] {
  return items.map((item, index) => ({ index, item }));
}

/** Reads secrets and files, recording a problem (never the value) for each that fails. */
function recordingInputs(sources: SecretSources, problems: PathProblem[]): ExternalInputs {
  return {
    secret(value: string, path: readonly PathSegment[]): Secret {
      const resolved = resolveSecret(value, sources);
      if (resolved.ok) return resolved.secret;
      problems.push({ path, message: resolved.message });
      return new Secret('', 'unresolved');
    },
    file(relative: string, at: readonly PathSegment[]): string {
      try {
        return sources.readRelative(relative);
      } catch (error) {
        problems.push({ path: at, message: readProblem('file', relative, error) });
        return '';
      }
    },
  };
}

/**
 * SSH keys and passwords are merged into the user data, which works only for cloud-config; checked here
 * so `check` reports it with its location instead of synthesis failing.
 */
function userDataProblems(valid: ValidItems, vms: readonly Vm[]): PathProblem[] {
  return vms.flatMap((vm, i) => {
    const cloudInit = vm.cloudInit;
    if (cloudInit?.userData === undefined || (cloudInit.sshKeys.length === 0 && cloudInit.password === undefined)) return [];
    const message = mergeableUserDataProblem(cloudInit.userData);
    const index = valid.vms[i]?.index ?? i;
    return message === undefined ? [] : [{ path: ['vms', index, 'cloudInit', 'userData'], message }];
  });
}

export function validateFleetData(data: unknown, sources: SecretSources): ValidationResult {
  if (!isMapping(data)) return { ok: false, problems: [{ path: [], message: NOT_A_MAPPING }] };
  const problems: PathProblem[] = [];
  const parsed = fleetFileSchema.safeParse(data, { error: issueMessage });
  let defaults: RawDefaults | undefined;
  let valid: ValidItems;
  if (parsed.success) {
    defaults = parsed.data.defaults;
    valid = {
      hosts: indexed(parsed.data.hosts),
      migrationPools: indexed(parsed.data.migrationPools),
      networks: indexed(parsed.data.networks),
      pools: indexed(parsed.data.pools),
      images: indexed(parsed.data.images),
      vms: indexed(parsed.data.vms),
      stacks: indexed(parsed.data.stacks),
    };
  } else {
    problems.push(...parsed.error.issues.flatMap((issue) => issueProblems(issue)));
    defaults = defaultsSchema.safeParse(data.defaults).data;
    valid = validItemsOf(data);
  }
  problems.push(...crossCheckProblems(data));
  // Secret references first, then token markers: one walk, the problems in the order of two.
  const misplaced: PathProblem[] = [];
  const tokens: PathProblem[] = [];
  walkData(data, [misplacedSecretReferences(misplaced), tokenProblems(tokens)]);
  problems.push(...misplaced, ...tokens);
  const parts = normalizeItems(defaults, valid, recordingInputs(sources, problems));
  // User data that could not be read has its problem already.
  const reported = new Set(problems.map((p) => p.path.join('.')));
  problems.push(...userDataProblems(valid, parts.vms).filter((p) => !reported.has(p.path.join('.'))));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  // Synthesis needs a consistent fleet; its checks run once everything above passed.
  problems.push(...synthesisProblems({ apiVersion: parsed.data.apiVersion, ...parts }));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, fleet: { apiVersion: parsed.data.apiVersion, ...parts } };
}
