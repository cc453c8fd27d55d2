import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the CDK engine is imported in one place', () => {
  it('no source file but constructs/cdk-engine.ts imports cdktf (or cdktn) directly', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { encoding: 'utf8' }).split('\n').filter((f) => f !== '' && !f.startsWith('examples/'));
    const direct = files.filter((f) => /from '(cdktf|cdktn)'|require\('(cdktf|cdktn)'\)|import\('(cdktf|cdktn)'\)/.test(readFileSync(f, 'utf8')));
    expect(direct).toEqual(['constructs/cdk-engine.ts']);
  });
});
