/** Every built-in rule; a test asserts this list equals the rule files on disk. */
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [];
