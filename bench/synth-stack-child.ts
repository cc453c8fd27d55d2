/**
 * Synthesizes one stack of a fleet in its own process, for the growth measurement: at 5,000 hosts the whole
 * fleet's synthesis is out of reach of a CI runner's memory, and one stack is the unit a user synthesizes
 * and applies. Load, plan (with the lock), check, build that stack only, `app.synth()`.
 * Usage: node --import tsx bench/synth-stack-child.ts <fleet.yaml> <outDir> <lockFile> <stack>
 * Prints one JSON line on stdout: { "seconds": <wall time>, "maxRssMiB": <peak RSS>, "vms": <VMs in the stack> }.
 */
import { readFileSync } from 'node:fs';
import { App } from '../constructs/cdk-engine';
import { loadFleet } from '../fleet/index';
import { stackSpecs } from '../fleet/stack-specs';
import { parseLock } from '../planner/lock';
import { plan } from '../planner/plan';
import { evaluatePolicies } from '../policies/index';
import { withoutCreationStacks } from '../stacks/creation-stacks';
import { HybridStack, isKvmHost, isXenHost, KvmStack, XenStack, type FleetStack } from '../stacks/fleet-stack';

export interface SynthStackChildReport {
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly vms: number;
}

const [fleetFile, outDir, lockFile, stackName] = process.argv.slice(2);
if (fleetFile === undefined || outDir === undefined || lockFile === undefined || stackName === undefined) {
  process.stderr.write('usage: synth-stack-child.ts <fleet.yaml> <outDir> <lockFile> <stack>\n');
  process.exit(2);
}
process.env.CHECKPOINT_DISABLE = '1';
const started = performance.now();
const loaded = loadFleet(fleetFile);
if (!loaded.ok) throw new Error(`${fleetFile}: ${loaded.problems[0]?.message ?? ''}`);
const fleet = loaded.fleet;
const lock = parseLock(readFileSync(lockFile, 'utf8'), lockFile);
if (!lock.ok) throw new Error(lock.problems.join('; '));
const placement = plan(fleet, lock.lock);
const findings = evaluatePolicies(fleet, placement);
const spec = stackSpecs(fleet).find((s) => s.name === stackName);
if (spec === undefined) throw new Error(`no stack ${stackName}`);
const hosts = fleet.hosts.filter((h) => spec.hosts.includes(h.name));
const common = { fleet, placement, findings, backend: spec.backend };
const app = new App({ outdir: outDir, hclOutput: false, stackTraces: false });
const stack = withoutCreationStacks((): FleetStack => {
  // The same choice of stack class as buildFleetApp (stacks/fleet-app.ts).
  const built = hosts.every(isKvmHost)
    ? new KvmStack(app, spec.name, { ...common, hosts })
    : hosts.every(isXenHost)
      ? new XenStack(app, spec.name, { ...common, hosts })
      : new HybridStack(app, spec.name, { ...common, hosts });
  app.synth();
  return built;
});
const report: SynthStackChildReport = {
  seconds: (performance.now() - started) / 1000,
  // maxRSS is in KiB.
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
  vms: stack.vms.length,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
