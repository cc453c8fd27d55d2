/**
 * Gating for tests that need libvirt tools: without them a test is skipped LOUDLY on a developer
 * machine, and fails in CI (process.env.CI set), where the tools must be installed.
 */
import { existsSync } from 'node:fs';
import { libvirtTools } from '../../libvirt/validate';

export const TOOLS = libvirtTools();
export const IN_CI = Boolean(process.env.CI);
export const HAVE_TOOLS = TOOLS.xmllint && TOOLS.virsh && TOOLS.qemuEmbed;
/** True when the test must be skipped (tools missing, not in CI). */
export const SKIP_TOOLS = !HAVE_TOOLS && !IN_CI;
if (!HAVE_TOOLS) {
  console.warn(`\n!!! libvirt tools missing: ${TOOLS.missing.join('; ')}\n!!! ${IN_CI ? 'CI is set: these tests FAIL' : 'real-libvirt tests are SKIPPED'}\n`);
}

export const CORPUS = '/work/shared/corpus/libvirt-xml';
export const HAVE_CORPUS = existsSync(CORPUS);
if (!HAVE_CORPUS) console.warn(`\n!!! ${CORPUS} not found: corpus import tests are SKIPPED (the fixtures in test/fixtures/libvirt still run)\n`);
