/** `hyperplan rules`: the policy rule catalogue (built-in rules and the engine's own findings). */
import type { Command } from '../command';
import { EXIT_OK, UsageError } from '../../io/errors';
import { choiceOption } from '../options';
import { catalogue } from '../../policies/catalogue';
import { rulesMarkdown, rulesText } from '../../policies/rules-doc';

const FORMATS = ['text', 'json', 'markdown'] as const;

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'list the policy rules (id, severity, pack, summary)',
  help: [
    'Usage: hyperplan rules [--format text|json|markdown]',
    '',
    'Lists every built-in policy rule; the same catalogue as docs/rules.md.',
    '',
    'Options:',
    '  --format f  text (default), json ({ "rules": [ { id, pack, severity, summary, rationale, sources } ] }), markdown',
  ].join('\n'),
  options: { format: { type: 'string' } },
  run(args, io) {
    const format = choiceOption('rules', args.values.format, 'format', FORMATS, 'text');
    if (args.positionals.length > 0) throw new UsageError('rules: takes no arguments');
    const rules = catalogue();
    io.stdout(format === 'json' ? `${JSON.stringify({ rules }, null, 2)}\n` : format === 'markdown' ? rulesMarkdown(rules) : rulesText(rules));
    return Promise.resolve(EXIT_OK);
  },
};
