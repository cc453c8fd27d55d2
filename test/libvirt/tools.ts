/**
 * Gating for tests that need libvirt tools: without them a test is skipped LOUDLY on a developer
 * machine, and fails in CI (process.env.CI set), where the tools must be installed.
 */
import { libvirtTools } from '../../libvirt/validate';
import { IN_CI, sharedPath } from '../support/shared';

export const TOOLS = libvirtTools();
export { IN_CI };
export const HAVE_TOOLS = TOOLS.xmllint && TOOLS.virsh && TOOLS.qemuEmbed;
/** True when the test must be skipped (tools missing, not in CI). */
export const SKIP_TOOLS = !HAVE_TOOLS && !IN_CI;
if (!HAVE_TOOLS) {
  console.warn(`\n!!! libvirt tools missing: ${TOOLS.missing.join('; ')}\n!!! ${IN_CI ? 'CI is set: these tests FAIL' : 'real-libvirt tests are SKIPPED'}\n`);
}

const corpus = sharedPath('corpus/libvirt-xml', 'corpus import tests are (the fixtures in test/fixtures/libvirt still run)');
export const CORPUS = corpus ?? '';
export const HAVE_CORPUS = corpus !== undefined;
