/** Suppression matching: globs over rule ids and finding targets. */
import type { Suppression } from './config';

const cache = new Map<string, RegExp>();

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a glob: `*` = any run of characters except `.`, `[`, `]`; `?` = one such character. */
function compile(glob: string): RegExp {
  let regex = cache.get(glob);
  if (!regex) {
    const body = glob.split('').map((c) => (c === '*' ? '[^.[\\]]*' : c === '?' ? '[^.[\\]]' : escape(c))).join('');
    regex = new RegExp(`^${body}$`);
    cache.set(glob, regex);
  }
  return regex;
}

/** Target paths from the most to the least specific: `vms[a].disks[0]`, `vms[a]`. */
function targetAndAncestors(target: string): string[] {
  const paths = [target];
  let path = target;
  for (;;) {
    const stripped = path.replace(/(?:\.[^.[\]]+|\[[^[\]]*\])$/, '');
    if (stripped === path || stripped === '') return paths;
    paths.push(stripped);
    path = stripped;
  }
}

export function suppressionMatches(suppression: Suppression, ruleId: string, target: string): boolean {
  if (!compile(suppression.rule).test(ruleId)) return false;
  if (suppression.target === undefined) return true;
  const pattern = compile(suppression.target);
  return targetAndAncestors(target).some((path) => pattern.test(path));
}
