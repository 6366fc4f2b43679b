import type { RepositoryResult } from './rollout-repository.js';

export interface Progress {
  discovered(total: number, behind: number): void;
  result(result: RepositoryResult, done: number, total: number): void;
  finish(): void;
}

/**
 * How a rollout shows it is alive, on stderr (stdout is the report's): on a terminal one line rewritten in
 * place (done, behind, failed, elapsed, ETA); elsewhere (CI logs) one JSON line per repository.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const started = now();
  let behind = 0;
  let behindDone = 0;
  let failed = 0;
  let shown = false;
  if (!stream.isTTY) {
    return {
      discovered: (total, count) => stream.write(`${JSON.stringify({ event: 'discovered', repositories: total, behind: count })}\n`),
      result: (result, done, total) => {
        const { repository, status, from, to, conflicts, reason } = result;
        stream.write(`${JSON.stringify({ event: 'repository', done, total, repository, status, from, to, pullRequest: result.pullRequest?.url ?? null, conflicts, reason })}\n`);
      },
      finish: () => undefined,
    };
  }
  const line = (done: number, total: number): void => {
    const elapsed = now() - started;
    const eta = behindDone > 0 && behind > behindDone ? ` ETA ${clock((elapsed / behindDone) * (behind - behindDone))},` : '';
    stream.write(`\r\x1b[2Krollout: ${done}/${total} done, ${behind - behindDone} behind to go, ${failed} failed,${eta} ${clock(elapsed)} elapsed`);
    shown = true;
  };
  let total = 0;
  return {
    discovered: (count, behindCount) => {
      total = count;
      behind = behindCount;
      line(0, total);
    },
    result: (result, done, all) => {
      // Only a behind repository has a target and is not current: the ones the ETA is about.
      if (result.to !== null && result.status !== 'current') behindDone++;
      if (result.status === 'failed') failed++;
      line(done, all);
    },
    finish: () => {
      if (shown) stream.write('\n');
    },
  };
}

function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}
