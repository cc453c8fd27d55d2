/** Writes docs/rules.md from the rule metadata: `node --import tsx policies/generate-docs.ts`. */
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalogue } from './catalogue';
import { rulesMarkdown } from './rules-doc';

export const RULES_DOC = fileURLToPath(new URL('../docs/rules.md', import.meta.url));

mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
writeFileSync(RULES_DOC, rulesMarkdown(catalogue()));
