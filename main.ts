/**
 * The CDKTF app behind `cdktf synth`: the fleet named by HYPERPLAN_FLEET (default the hybrid example),
 * placed and checked like `hyperplan synth` does, synthesized into the directory cdktf-cli chooses.
 * Policy errors and unplaced VMs fail synthesis through the stacks' validations.
 */
import { App } from './constructs/cdk-engine';
import { formatProblem, loadFleet } from './fleet/index';
import { place } from './planner/plan';
import { evaluatePolicies } from './policies/engine';
import { withoutCreationStacks } from './stacks/creation-stacks';
import { fingerprintKeyFrom, readLock, readPolicy } from './pipeline/fleet-inputs';
import { InputError } from './io/errors';
import { buildFleetApp } from './stacks/fleet-app';

process.env.CHECKPOINT_DISABLE = '1';
// cdktf lets SYNTH_HCL_OUTPUT override `hclOutput`; the output contract is JSON.
process.env.SYNTH_HCL_OUTPUT = 'false';
const fleetFile = process.env.HYPERPLAN_FLEET ?? 'examples/hybrid/fleet.yaml';
const loaded = loadFleet(fleetFile);
if (!loaded.ok) {
  process.stderr.write(`${loaded.problems.map(formatProblem).join('\n')}\n`);
  process.exit(2);
}
const placement = place(loaded.fleet, readLock(fleetFile));
// cdktf-cli passes the output directory in CDKTF_OUTDIR; JSON output, no stack traces: same bytes as `hyperplan synth`.
const findings = evaluatePolicies(loaded.fleet, placement, await readPolicy(fleetFile));
let fingerprintKey: string | undefined;
try {
  fingerprintKey = fingerprintKeyFrom(process.env);
} catch (error) {
  process.stderr.write(`${error instanceof InputError ? error.problems.join('\n') : String(error)}\n`);
  process.exit(2);
}
const app = new App({ hclOutput: false, stackTraces: false });
withoutCreationStacks(() => {
  buildFleetApp(app, loaded.fleet, placement, findings, fingerprintKey === undefined ? {} : { fingerprintKey });
  app.synth();
});
