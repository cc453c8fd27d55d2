/**
 * `hyperplan.policy.yaml`: packs, per-rule settings, thresholds, suppressions, custom rule paths and the
 * disruption budget of reviews.
 * Parsing is pure (text in, config or located problems out); reading files and importing custom rules
 * is `pipeline/load-custom-rules.ts`'s job. Unknown keys are errors, like in the fleet file.
 */
import { z } from 'zod';
import { formatPath, formatProblem, sortProblems, type Problem } from '../fleet/problems';
import { issueMessage, issueProblems } from '../fleet/schema-issues';
import { collectLocations, locatePath, parseYaml, syntaxProblems } from '../fleet/yaml-source';
import type { SourceLocation } from '../fleet/model';
import { MIN_SUPPRESSION_REASON_LENGTH, type PolicyConfig } from './config';
import { CUSTOM_PACK, PACK_NAMES } from './rule';

export const POLICY_FILE_NAME = 'hyperplan.policy.yaml';

const RULE_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const severity = z.enum(['error', 'warning', 'info']);
const positive = z.number().positive();

const ALL_PACKS = [...PACK_NAMES, CUSTOM_PACK] as const;

/**
 * `{ xen: false }` switches packs one by one; a list (`[kvm, placement]`, as `HyperplanChecks({ packs })`
 * takes) enables exactly the built-in packs it names (DESIGN.md: "a policy file … enables packs").
 */
const packsSchema = z.union(
  [
    z.strictObject(Object.fromEntries(ALL_PACKS.map((name) => [name, z.boolean().optional()])) as Record<string, z.ZodOptional<z.ZodBoolean>>),
    z.array(z.enum(ALL_PACKS)),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `expected a list of packs or a mapping of pack: true|false; packs are ${ALL_PACKS.join(', ')}` : undefined) },
);

/** The engine's pack switches for a list of enabled packs: built-in packs not named are off. */
function packSwitches(packs: Readonly<Record<string, boolean | undefined>> | readonly string[]): Record<string, boolean> {
  if (!Array.isArray(packs)) return Object.fromEntries(Object.entries(packs).filter((entry): entry is [string, boolean] => entry[1] !== undefined));
  const named = new Set<string>(packs);
  return { ...Object.fromEntries(PACK_NAMES.map((pack) => [pack, named.has(pack)])), ...(named.has(CUSTOM_PACK) ? { [CUSTOM_PACK]: true } : {}) };
}

const ruleSettingSchema = z.strictObject({ enabled: z.boolean().optional(), severity: severity.optional() });

const thresholdsSchema = z.strictObject({
  maxCpuOvercommit: positive.optional(),
  maxMemoryOvercommit: positive.optional(),
  maxDom0Fraction: z.number().gt(0).max(1).optional(),
  maxPoolMemorySkew: z.number().min(1).optional(),
  hostReserveBaseMiB: z.number().int().nonnegative().optional(),
  hostReservePerVmMiB: z.number().int().nonnegative().optional(),
});

const date = z
  .string()
  .refine((d) => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { message: 'expected a date as YYYY-MM-DD' });

const suppressionSchema = z.strictObject({
  rule: z.string().min(1),
  target: z.string().min(1).optional(),
  reason: z.string().refine((r) => r.trim().length >= MIN_SUPPRESSION_REASON_LENGTH, {
    message: `must say why the finding is acceptable in at least ${MIN_SUPPRESSION_REASON_LENGTH} characters`,
  }),
  expires: date.optional(),
  /** DESIGN.md names it "expiry" ("suppressions, each with a mandatory reason (and optional target and expiry)"). */
  expiry: date.optional(),
}).refine((s) => s.expires === undefined || s.expiry === undefined, { message: 'give expires or expiry, not both', path: ['expiry'] });

const count = z.number().int().nonnegative();
const budgetSchema = z.strictObject({ maxRestarts: count.optional(), maxMoves: count.optional() });

export const policyFileSchema = z.strictObject({
  packs: packsSchema.optional(),
  rules: z
    .record(z.string().regex(RULE_ID, { message: 'rule ids are upper-case words joined by dashes, e.g. XEN-DOM0-BALLOON' }), ruleSettingSchema)
    .optional(),
  thresholds: thresholdsSchema.optional(),
  suppressions: z.array(suppressionSchema).optional(),
  customRules: z.array(z.string().min(1)).optional(),
  budget: budgetSchema.optional(),
});

export type PolicyFileInput = z.infer<typeof policyFileSchema>;

/** A parsed policy file: the engine config (without custom rules yet) and the custom rule paths as written. */
export interface PolicyFile {
  readonly file: string;
  readonly config: PolicyConfig;
  /** Paths relative to the policy file's directory. */
  readonly customRules: readonly string[];
}

export type PolicyFileResult = { readonly ok: true; readonly policy: PolicyFile } | { readonly ok: false; readonly problems: readonly string[] };

/** `rules.X` is recorded by the YAML walk; the engine names rules `rules[X]`. */
function withRuleKeys(locations: Record<string, SourceLocation>, rules: Readonly<Record<string, unknown>>): Record<string, SourceLocation> {
  for (const id of Object.keys(rules)) {
    const at = locations[`rules.${id}`];
    if (at) locations[`rules[${id}]`] = at;
  }
  return locations;
}

/** Parses policy text from `file`; every problem is `file:line:column: path: message`. */
export function parsePolicyFile(text: string, file: string): PolicyFileResult {
  if (text.trim() === '') return { ok: true, policy: { file, config: {}, customRules: [] } };
  const source = parseYaml(text);
  const problems: Problem[] = syntaxProblems(source, text).map((p) => ({ file, path: '', ...p }));
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems).map(formatProblem) };
  let raw: unknown;
  try {
    raw = source.document.toJS();
  } catch (error) {
    // toJS() refuses alias bombs ("Excessive alias count"); a problem, not a crash (test/robustness).
    return { ok: false, problems: [formatProblem({ file, line: 1, column: 1, path: '', message: `YAML: ${(error as Error).message}` })] };
  }
  const parsed = policyFileSchema.safeParse(raw ?? {}, { error: issueMessage });
  if (!parsed.success) {
    for (const problem of parsed.error.issues.flatMap((issue) => issueProblems(issue))) {
      problems.push({ file, ...locatePath(source, problem.path, problem.at), path: formatPath(problem.path), message: problem.message });
    }
    return { ok: false, problems: sortProblems(problems).map(formatProblem) };
  }
  const data = parsed.data;
  const config: PolicyConfig = {
    ...(data.packs ? { packs: packSwitches(data.packs) } : {}),
    ...(data.rules ? { rules: data.rules } : {}),
    ...(data.thresholds ? { thresholds: data.thresholds } : {}),
    ...(data.suppressions
      ? { suppressions: data.suppressions.map(({ expiry, expires, ...rest }) => ({ ...rest, ...((expires ?? expiry) === undefined ? {} : { expires: expires ?? expiry }) })) }
      : {}),
    ...(data.budget ? { budget: data.budget } : {}),
    locations: withRuleKeys(collectLocations(source, file), data.rules ?? {}),
  };
  return { ok: true, policy: { file, config, customRules: data.customRules ?? [] } };
}
