import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapBounded } from '../core/map-bounded.js';
import { openSource, type OpenedSource, type SourceCache } from '../source/index.js';
import { discoverFleet, type Shard } from './discover.js';
import { gitToken, type GitHub } from './github.js';
import { RemoteGit } from './git-remote.js';
import { assess, rollOutTo, type RepositoryResult } from './rollout-repository.js';
import { REPORT_KIND, type RolloutReport } from './rollout-report.js';

export interface RolloutOptions {
  org: string;
  /** The version to move to; default each repository's source's newest. */
  to?: string;
  dryRun?: boolean;
  /** Repositories worked on at once (default 4). */
  concurrency?: number;
  /** A glob over repository names. */
  repo?: string;
  shard?: Shard;
  /** Told of each repository when its work is done (progress). */
  onResult?: (result: RepositoryResult, done: number, total: number) => void;
  /** Told how many repositories there are once discovery has found them. */
  onDiscovered?: (total: number, behind: number) => void;
  /** Who the upgrade commits are by. */
  identity?: { name: string; email: string };
  /** Sources opened once for the whole run (tests and benchmarks share theirs). */
  sources?: SourceCache;
}

export const DEFAULT_CONCURRENCY = 4;
const IDENTITY = { name: 'platform-rollout', email: 'platform-rollout@users.noreply.github.com' };

/**
 * `platform rollout`: discover the organization's platform repositories, and for each one behind the
 * target bring one upgrade pull request to where it should be, a bounded number at a time. A
 * repository's failure is its result, never the run's; the report lists every repository discovered.
 */
export async function rollout(octokit: GitHub, options: RolloutOptions): Promise<RolloutReport> {
  const started = Date.now();
  const sources: SourceCache = options.sources ?? new Map<string, OpenedSource>();
  const skipped: RepositoryResult[] = [];
  const fleet = await discoverFleet(octokit, options.org, {
    repo: options.repo,
    shard: options.shard,
    onSkip: (fullName, reason) => skipped.push({ repository: fullName, url: '', source: null, status: 'skipped', from: null, to: null, pullRequest: null, conflicts: [], closed: [], reason }),
  });
  // One after the other: the first repository of each source opens it (and fetches its versions), the rest
  // find it in the cache; at once, each would open its own.
  const assessed: RepositoryResult[] = [];
  for (const repo of fleet) assessed.push(await assess(repo, { to: options.to, sources }));
  const behind = fleet.map((repo, index) => ({ repo, assessed: assessed[index]! })).filter((entry) => entry.assessed.status === 'behind');
  options.onDiscovered?.(fleet.length, behind.length);
  const results = new Map<string, RepositoryResult>(assessed.map((result) => [result.repository, result]));
  let done = 0;
  const total = fleet.length;
  for (const result of assessed) if (result.status !== 'behind') options.onResult?.(result, ++done, total);
  if (behind.length) {
    // Likewise before the parallel upgrades (with --to, no source was opened above).
    // A source that cannot be opened fails its repositories there, each with the reason.
    for (const spec of new Set(behind.map((entry) => entry.assessed.source!))) await openSource(spec, { cache: sources }).catch(() => undefined);
    const workDir = mkdtempSync(join(tmpdir(), 'platform-rollout-'));
    try {
      const context = { octokit, git: new RemoteGit(await gitToken(octokit), options.identity ?? IDENTITY), to: options.to, dryRun: options.dryRun ?? false, sources, workDir };
      await mapBounded(behind, options.concurrency ?? DEFAULT_CONCURRENCY, async ({ repo, assessed: before }) => {
        const result = await rollOutTo(repo, before, context);
        results.set(result.repository, result);
        options.onResult?.(result, ++done, total);
      });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  const repositories = [...results.values(), ...skipped].sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
  return {
    kind: REPORT_KIND,
    org: options.org,
    to: options.to ?? null,
    dryRun: options.dryRun ?? false,
    shards: options.shard ? [options.shard] : [],
    elapsedMs: Date.now() - started,
    repositories,
  };
}
