import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/fleet/rollout-progress.js';
import type { RepositoryResult } from '../src/fleet/rollout-repository.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
}

const result = (repository: string, status: RepositoryResult['status'], to: string | null = '1.1.0'): RepositoryResult => ({
  repository,
  url: `https://github.example/${repository}`,
  source: 'embedded',
  status,
  from: to ? '1.0.0' : null,
  to,
  pullRequest: status === 'opened' ? { number: 7, url: `https://github.example/${repository}/pull/7`, draft: false } : null,
  conflicts: [],
  closed: [],
});

describe('rollout progress', () => {
  it('on a terminal: one line rewritten in place, with done, behind to go, failed, ETA and elapsed', () => {
    const { written, stream: tty } = stream(true);
    let now = 0;
    const progress = createProgress(tty, () => now);
    progress.discovered(5, 3);
    progress.result(result('acme/docs', 'skipped', null), 1, 5);
    now = 10_000;
    progress.result(result('acme/api', 'opened'), 2, 5);
    now = 20_000;
    progress.result(result('acme/jobs', 'failed'), 3, 5);
    progress.finish();
    expect(written).toEqual([
      '\r\x1b[2Krollout: 0/5 done, 3 behind to go, 0 failed, 00:00 elapsed',
      '\r\x1b[2Krollout: 1/5 done, 3 behind to go, 0 failed, 00:00 elapsed',
      '\r\x1b[2Krollout: 2/5 done, 2 behind to go, 0 failed, ETA 00:20, 00:10 elapsed',
      '\r\x1b[2Krollout: 3/5 done, 1 behind to go, 1 failed, ETA 00:10, 00:20 elapsed',
      '\n',
    ]);
  });

  it('elsewhere: one JSON line per repository', () => {
    const { written, stream: log } = stream(false);
    const progress = createProgress(log);
    progress.discovered(2, 1);
    progress.result(result('acme/api', 'opened'), 1, 2);
    progress.finish();
    expect(written.map((line) => JSON.parse(line))).toEqual([
      { event: 'discovered', repositories: 2, behind: 1 },
      { event: 'repository', done: 1, total: 2, repository: 'acme/api', status: 'opened', from: '1.0.0', to: '1.1.0', pullRequest: 'https://github.example/acme/api/pull/7', conflicts: [] },
    ]);
  });
});
