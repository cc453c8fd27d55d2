/**
 * Synthesis one stack at a time. cdktf's `App.synth` (cdktf 0.21 lib/app.js) prepares every stack of the
 * app, synthesizes each (`StackSynthesizer.synthesize`: aspects, validations, `cdk.tf.json`), validates
 * the app and writes `manifest.json`; every stack's construct tree, and its resolved document while it is
 * written, is alive until the end, so the peak memory is the whole fleet's. This takes the same steps
 * for one stack at a time — build, prepare, synthesize into the app's manifest — and then lets the stack
 * go (removed from the app, its tokens forgotten) before the next is built, so the peak is the largest
 * stack's. The files are the same bytes: each stack's `cdk.tf.json` is written by cdktf's own
 * synthesizer, and the manifest by cdktf's `Manifest` from the same entries in the same order.
 */
import { type App, type TerraformStack } from '../constructs/cdk-engine';
import { forgetTokensSince, markTokens } from '../constructs/token-registry';
import type { FleetStackBuilder } from '../stacks/fleet-app';
import type { FleetStack } from '../stacks/fleet-stack';

export interface StackByStackHooks<T> {
  /** Called when the stack is built, before it is synthesized (e.g. to add import blocks). */
  readonly built?: (stack: FleetStack) => void;
  /** Called once the stack's files are written; what it returns is kept, the stack is not. */
  readonly written: (stack: FleetStack) => T;
}

/** A stack's synthesis (or the app's validation) failed; `cause` is the engine's error, as `app.synth()` throws it. */
export class StackSynthesisError extends Error {
  override readonly name = 'StackSynthesisError';
  override readonly cause: unknown;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.cause = cause;
  }
}

/** The session `App.synth` hands every stack's synthesizer (lib/app.js). */
type StackSynthesisSession = Parameters<TerraformStack['synthesizer']['synthesize']>[0];

function sessionOf(app: App): StackSynthesisSession {
  return { outdir: app.outdir, skipValidation: app.skipValidation, manifest: app.manifest };
}

/** Builds, synthesizes and releases one stack; returns what `hooks.written` keeps of it. */
function synthesizeOne<T>(session: StackSynthesisSession, app: App, builder: FleetStackBuilder, hooks: StackByStackHooks<T>): T {
  const mark = markTokens();
  const stack = builder.build();
  hooks.built?.(stack);
  try {
    stack.prepareStack();
    stack.synthesizer.synthesize(session);
  } catch (error) {
    throw new StackSynthesisError(error);
  }
  const result = hooks.written(stack);
  app.node.tryRemoveChild(stack.node.id);
  forgetTokensSince(mark);
  return result;
}

/**
 * The order the stacks are synthesized in: fewest VMs first, the largest stack last (ties in the given
 * order). A written stack is garbage the collector may not have reclaimed when the next one is built; with
 * the largest last, only smaller stacks' garbage lies beside it. Measured on the 1,000-host bench fleet
 * (kvm 14,341 VMs, xen 5,659): kvm first peaked at 660–954 MiB (2 of 5 runs above 900), kvm last at
 * 643–727 MiB (7 runs). Each stack's files and the manifest (cdktf writes it with sorted keys) are the same
 * bytes in any order.
 */
export function synthesisOrder(builders: readonly Pick<FleetStackBuilder, 'vms'>[]): number[] {
  return builders.map((_, i) => i).sort((a, b) => builders[a]!.vms - builders[b]!.vms || a - b);
}

/**
 * Builds, synthesizes and releases the stacks of `builders` (whose scope is `app`), the largest last
 * (`synthesisOrder`), then writes the app's `manifest.json`; the results are in the order of `builders`.
 * A stack whose synthesis fails (its validations, say) throws a StackSynthesisError holding the error
 * cdktf's synthesizer threw for it, with the stacks synthesized before it written and the manifest not.
 * When several stacks would fail, this is the first in synthesis order (the smallest), where
 * `app.synth()` reports the first in the given order. Errors of building a stack or of the hooks are
 * thrown as they are.
 */
export function synthesizeStackByStack<T>(app: App, builders: readonly FleetStackBuilder[], hooks: StackByStackHooks<T>): T[] {
  const session = sessionOf(app);
  const results = new Array<T>(builders.length);
  // In a function of its own, so no frame of this loop holds the stack once it is written.
  for (const i of synthesisOrder(builders)) results[i] = synthesizeOne(session, app, builders[i]!, hooks);
  // The rest of App.synth: the app's own validations, then the manifest.
  if (!app.skipValidation) {
    const validations = app.node.validate();
    if (validations.length > 0) {
      throw new StackSynthesisError(new Error(
        `App-level validation failed with the following errors:\n  ${validations.join('\n  ')}\n` +
          "Validations allow for dynamic verification of your project.\nTo skip validations, add 'skipValidation: true' to your App config.\n    ",
      ));
    }
  }
  app.manifest.writeToFile();
  return results;
}
