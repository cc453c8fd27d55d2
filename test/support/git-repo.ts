/** A throwaway git repository for the review tests: `hyperplan review --base` reads its base from git. */
import { execFileSync } from 'node:child_process';

export interface GitRepo {
  /** Runs `git -C dir …`, output discarded; a failing command throws. */
  readonly git: (...args: string[]) => void;
  /** `git init` with a committer identity, then the first commit of every file already in `dir`. */
  readonly initWithBase: (message?: string) => void;
}

export function gitRepo(dir: string): GitRepo {
  const git = (...args: string[]): void => void execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  return {
    git,
    initWithBase: (message = 'base') => {
      git('init', '-q');
      git('config', 'user.email', 'ci@example.com');
      git('config', 'user.name', 'ci');
      git('add', '-A');
      git('commit', '-q', '-m', message);
    },
  };
}
