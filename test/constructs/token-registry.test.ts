import { describe, expect, it } from 'vitest';
import { DefaultTokenResolver, Lazy, StringConcat, TerraformStack, Testing, Token, Tokenization } from '../../constructs/cdk-engine';
import { forgetTokensSince, markTokens } from '../../constructs/token-registry';

const stack = new TerraformStack(Testing.app(), 'token-registry');
const resolve = (value: unknown): unknown => Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });

describe('forgetTokensSince', () => {
  it('forgets the tokens registered after the mark and keeps the ones before it', () => {
    const before = Token.asString(Lazy.stringValue({ produce: () => 'kept' }));
    const beforeNumber = Token.asNumber(Lazy.numberValue({ produce: () => 7 }));
    const mark = markTokens();
    const after = Token.asString(Lazy.stringValue({ produce: () => 'forgotten' }));
    const afterNumber = Token.asNumber(Lazy.numberValue({ produce: () => 8 }));
    expect(resolve({ after, afterNumber })).toEqual({ after: 'forgotten', afterNumber: 8 });

    forgetTokensSince(mark);
    expect(resolve({ before, beforeNumber })).toEqual({ before: 'kept', beforeNumber: 7 });
    // A forgotten token cannot slip into the output unresolved: cdktf throws (lib/tokens/private/token-map.js).
    expect(() => resolve({ after })).toThrow(/Unrecognized Token Key/);
    expect(() => resolve({ afterNumber })).toThrow(/unknown number Token/);
  });

  it('marks the point the next token gets: a mark taken after forgetting still forgets what follows', () => {
    const first = markTokens();
    Token.asString(Lazy.stringValue({ produce: () => 'x' }));
    const second = markTokens();
    expect(second.counter).toBeGreaterThan(first.counter);
    forgetTokensSince(first);
    expect(markTokens().counter).toBe(second.counter);
  });
});
