// Registers cdktf's Terraform matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider …)
// on vitest's expect: cdktf's adapter extends whatever `expect` is global, and vitest's supports the
// asymmetric matchers it relies on.
import { expect } from 'vitest';
import { Testing } from '../constructs/cdk-engine';

(globalThis as { expect?: unknown }).expect = expect;
Testing.setupJest();
