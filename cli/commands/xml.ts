/**
 * `hyperplan xml <fleet> --out dir [--validate]`: the synthesized fleet as libvirt XML, one file per
 * domain, network, pool and volume, for preview and for checking with real libvirt tools.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { terraformId } from '../../constructs/terraform-id';
import { filesToCheck, renderStack, type RenderedFile, type SynthesizedStack as StackJson, type XmlKind } from '../../libvirt/render-stack';
import { validateXmlFiles } from '../../libvirt/validate';
import { PolicyGateError, synthesizeFleet } from '../../pipeline/synth';
import { gateReport } from '../gate-report';
import { replaceDirectoryAtomic } from '../../io/atomic-write';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../../io/errors';
import { choiceOption } from '../options';
import { pathResolver, onlyFleetArgument } from '../paths';

const KINDS: readonly XmlKind[] = ['domain', 'network', 'pool', 'volume'];

function counts(files: readonly RenderedFile[]): string {
  return KINDS.map((kind) => `${files.filter((f) => f.kind === kind).length} ${kind}s`).join(', ');
}

export const xmlCommand: Command = {
  name: 'xml',
  summary: 'render the synthesized fleet as libvirt XML (and check it with libvirt tools)',
  help: [
    'Usage: hyperplan xml [fleet] --out dir [--validate] [--format text|json]',
    '',
    'Synthesizes the fleet (as `hyperplan synth`, into a temporary directory) and renders each libvirt',
    'domain, network, pool and volume to <dir>/<stack>/<host>/{domains,networks,pools,volumes}/<name>.xml.',
    'The directory is replaced as a whole, only when rendering succeeded.',
    '',
    'Options:',
    '  --out dir       output directory (required)',
    '  --validate      check every file: libvirt RelaxNG schemas (xmllint), libvirt\'s parser (virsh test',
    '                  driver), KVM domains through the embedded QEMU driver (qemu-argv), and hyperplan\'s',
    '                  own checks (Xen machine vs OS type, unique disk targets, PV/PVH disks on bus xen).',
    '                  Checks whose tools are missing are skipped and listed. See docs/libvirt-checks.md.',
    '  --format f      text (default) or json',
    '',
    'Exit codes: 0 written (and valid), 1 a file failed validation, or --validate found no domain to check',
    '(no VM, or none placed), 2 bad input or usage.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    validate: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(args, io) {
    const fleetArg = onlyFleetArgument('xml', args.positionals, io);
    const out = args.values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('xml: --out dir is required');
    const format = choiceOption('xml', args.values.format, 'format', ['text', 'json'] as const, 'text');
    const resolve = pathResolver(io);
    const outDir = resolve(out);

    const synthDir = mkdtempSync(join(tmpdir(), 'hyperplan-xml-synth-'));
    try {
      const summary = await synthesizeFleet({ fleetFile: resolve(fleetArg), outDir: join(synthDir, 'out'), env: io.env });
      const rendered = summary.stacks.map((stack) => {
        const json = JSON.parse(readFileSync(join(synthDir, 'out', stack.file), 'utf8')) as StackJson;
        const hosts = new Map(stack.hosts.map((host) => [terraformId(host), host]));
        return { stack: stack.name, result: renderStack(json, { hostOfAlias: (alias) => hosts.get(alias) ?? alias }) };
      });
      await replaceDirectoryAtomic(outDir, (dir) => {
        for (const { stack, result } of rendered) {
          for (const file of result.files) {
            const path = join(dir, stack, file.path);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, file.xml);
          }
        }
      });
      const all = rendered.flatMap((r) => r.result.files);
      const problems = rendered.flatMap((r) => r.result.problems);
      const report = args.values.validate
        ? await validateXmlFiles(rendered.flatMap(({ stack, result }) => filesToCheck(result, join(outDir, stack))))
        : undefined;
      const failures = report?.results.filter((r) => !r.ok) ?? [];
      // Validating nothing is not a success: a fleet with no VM (or none placed) has no domain to check.
      const domains = all.filter((f) => f.kind === 'domain').length;
      const nothingChecked = report !== undefined && domains === 0;
      if (format === 'json') {
        io.stdout(`${JSON.stringify({
          outDir: out,
          counts: Object.fromEntries(KINDS.map((k) => [k, all.filter((f) => f.kind === k).length])),
          problems,
          ...(report ? { validation: report } : {}),
          ...(nothingChecked ? { error: 'no domain was rendered, so no domain was validated' } : {}),
        }, null, 2)}\n`);
      } else {
        const lines = [`wrote ${out}: ${counts(all)} in ${rendered.length} stack(s)`];
        for (const problem of problems) lines.push(`  warning: ${problem}`);
        if (report) {
          const checked = new Set(report.results.map((r) => r.check));
          lines.push(`validated ${report.results.length - failures.length}/${report.results.length} check(s): ${[...checked].join(', ')}`);
          for (const f of failures) lines.push(`  ${f.file}: ${f.check}: ${f.message}`);
          for (const skipped of report.skipped) lines.push(`  skipped (not installed): ${skipped}`);
        }
        if (nothingChecked) lines.push(`error: no domain was rendered (the fleet has ${summary.stacks.reduce((n, s) => n + s.vms, 0)} placed VM(s)), so no domain was validated`);
        io.stdout(`${lines.join('\n')}\n`);
      }
      return failures.length > 0 || nothingChecked ? EXIT_FINDINGS : EXIT_OK;
    } catch (error) {
      if (!(error instanceof PolicyGateError)) throw error;
      io.stderr(gateReport(error, out));
      return EXIT_FINDINGS;
    } finally {
      rmSync(synthDir, { recursive: true, force: true });
    }
  },
};
