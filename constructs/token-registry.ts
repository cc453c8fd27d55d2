/**
 * cdktf registers every token it encodes into a string or number (a resource attribute reference such as
 * `volume.id`, a lazy value) in one process-wide map (`TokenMap`, cdktf 0.21
 * lib/tokens/private/token-map.js) and never removes it. Those tokens point at their resources, so a
 * stack whose output is written cannot be garbage-collected while the map holds them: synthesizing a fleet
 * stack by stack would keep every stack's construct tree alive to the end. `forgetTokensSince` removes the
 * tokens registered after a mark, once nothing will resolve them again.
 *
 * A token forgotten too early cannot go unnoticed: resolving its marker later throws cdktf's
 * "Unrecognized Token Key" (`TokenMap.lookupToken`) or "Encoded representation of unknown number Token found" (`lookupNumberToken`).
 */
import { TokenMap } from './cdk-engine';

/** The registry's private maps (token-map.js: `stringTokenMap`, `numberTokenMap`, `tokenCounter`). */
interface TokenMapInternals {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
  readonly tokenCounter: number;
}

function internals(): TokenMapInternals {
  const map = TokenMap.instance() as unknown as TokenMapInternals;
  if (!(map.stringTokenMap instanceof Map) || !(map.numberTokenMap instanceof Map) || typeof map.tokenCounter !== 'number') {
    throw new Error('the CDK engine changed its token registry (TokenMap); constructs/token-registry.ts needs an update');
  }
  return map;
}

/** A point in the registry: the counter the next token will get. */
export interface TokenMark {
  readonly counter: number;
}

export function markTokens(): TokenMark {
  return { counter: internals().tokenCounter };
}

/**
 * Removes every token registered after `mark`. Keys end in the token's counter (`registerStringKey`:
 * `<hint>.<counter>`; `registerNumberKey`: the counter itself), which only grows.
 */
export function forgetTokensSince(mark: TokenMark): void {
  const { stringTokenMap, numberTokenMap } = internals();
  for (const key of stringTokenMap.keys()) {
    if (Number(key.slice(key.lastIndexOf('.') + 1)) >= mark.counter) stringTokenMap.delete(key);
  }
  for (const key of numberTokenMap.keys()) if (key >= mark.counter) numberTokenMap.delete(key);
}
