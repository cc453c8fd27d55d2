/**
 * Loads custom rules (I/O): each path from the policy file's `customRules` is imported (TypeScript works
 * because the CLI runs under tsx). A module may export its rule as default, as a default array, or as
 * named exports; every exported object with a `check` is validated like a built-in rule's metadata
 * (`ruleShapeProblems`, pure, in policies/).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceLocation } from '../fleet/model';
import { locateIn } from '../fleet/locations';
import { confinedPath, OutsideRepositoryError, type ReadBoundary } from '../fleet/confine';
import type { Rule } from '../policies/rule';
import { ruleShapeProblems } from '../policies/custom-rule-shape';

export type CustomRulesResult =
  { readonly ok: true; readonly rules: readonly Rule[] } | { readonly ok: false; readonly problems: readonly string[] };

function candidates(module: Record<string, unknown>): Record<string, unknown>[] {
  const values = Object.values(module).flatMap((v) => (Array.isArray(v) ? v : [v]));
  return [...new Set(values)].filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && 'check' in v);
}

/**
 * Imports the rules at `paths` (relative to `baseDir`; inside `boundary` when given). Problems are located at the `customRules[i]`
 * entry of the policy file when `locations` has it.
 */
export async function loadCustomRules(
  paths: readonly string[],
  baseDir: string,
  policyFile: string,
  locations: Readonly<Record<string, SourceLocation>> = {},
  boundary?: ReadBoundary,
): Promise<CustomRulesResult> {
  const rules: Rule[] = [];
  const problems: string[] = [];
  for (const [index, path] of paths.entries()) {
    const at = locateIn(locations, `customRules[${index}]`);
    const where = `${at ? `${at.file}:${at.line}:${at.column}` : policyFile}: customRules[${index}]`;
    let module: Record<string, unknown>;
    try {
      // A policy file beside an untrusted fleet must not make us import code from outside its repository.
      const file = boundary ? confinedPath(path, baseDir, boundary) : resolve(baseDir, path);
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof OutsideRepositoryError) {
        problems.push(`${where}: custom rule module ${error.message}`);
        continue;
      }
      problems.push(
        `${where}: cannot load custom rule module ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      continue;
    }
    const found = candidates(module);
    if (found.length === 0) {
      problems.push(
        `${where}: ${path} exports no rule; export a Rule object (with id, pack, severity, summary, rationale, sources, check) as default`,
      );
      continue;
    }
    for (const candidate of found) {
      const wrong = ruleShapeProblems(candidate);
      if (wrong.length > 0) {
        problems.push(...wrong.map((w) => `${where}: ${path}: ${w}`));
      } else {
        rules.push(candidate as unknown as Rule);
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}
