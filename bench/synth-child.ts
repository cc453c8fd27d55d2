/**
 * Runs one synthesis in its own process so its peak memory (`maxRSS`) is its own, not the benchmark's.
 * Usage: node --import tsx bench/synth-child.ts <fleet.yaml> <outDir> [lockFile]
 * Prints one JSON line on stdout: { "seconds": <synthesis wall time>, "maxRssMiB": <peak RSS> }.
 */
import { synthesizeFleet } from '../pipeline/synth';

export interface SynthChildReport {
  readonly seconds: number;
  readonly maxRssMiB: number;
}

const [fleetFile, outDir, lockFile] = process.argv.slice(2);
if (fleetFile === undefined || outDir === undefined) {
  process.stderr.write('usage: synth-child.ts <fleet.yaml> <outDir> [lockFile]\n');
  process.exit(2);
}
const started = performance.now();
await synthesizeFleet({ fleetFile, outDir, ...(lockFile === undefined ? {} : { lockFile }) });
const report: SynthChildReport = {
  seconds: (performance.now() - started) / 1000,
  // maxRSS is in KiB.
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
