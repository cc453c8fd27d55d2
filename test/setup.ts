// Registers cdktf's Terraform matchers (toHaveResource, toHaveResourceWithProperties …) with vitest's expect.
import { expect } from 'vitest';
import { Testing } from 'cdktf';

Testing.setupJest = Testing.setupJest ?? (() => undefined);
