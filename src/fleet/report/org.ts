/**
 * `platform report --org ORG`: the organization's repositories as discovery finds them (their record
 * and platform.yaml, GraphQL, a hundred a request), each with its open upgrade pull request and its
 * findings: from the latest `platform validate` SARIF in code scanning where there is one, else from
 * validating a shallow clone (the token in a header, never in a URL). A repository that fails is said
 * in its row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapBounded } from '../../core/map-bounded.js';
import { parseRecord } from '../../generate/record.js';
import { loadSettings } from '../../settings/settings.js';
import type { SourceCache } from '../../source/index.js';
import { discoverFleet, type FleetRepository } from '../discover.js';
import { RemoteGit, RemoteGitError } from '../git-remote.js';
import { createGitHub, describeGitHubError, gitToken, type GitHub, type GitHubOptions } from '../github.js';
import { branchVersion } from '../rollout-body.js';
import { fromRecord, inspectFiles, reason, type InspectContext } from './local.js';
import { daysBetween, type ReleasesCache } from './releases.js';
import { parseManifestText } from './repository.js';
import { findingsFromSarif, SARIF_TOOL } from './sarif.js';
import { fleetReport } from './summary.js';
import type { FleetReport, PullRequestStatus, RepositoryReport } from './types.js';

export interface OrganizationOptions {
  github: GitHubOptions;
  now?: Date;
  concurrency?: number;
}

interface OrgContext extends InspectContext {
  octokit: GitHub;
  git: RemoteGit;
  work: string;
}

export async function reportOrganization(org: string, options: OrganizationOptions): Promise<FleetReport> {
  const now = options.now ?? new Date();
  const octokit = createGitHub(options.github);
  const repositories = await discoverFleet(octokit, org);
  const work = mkdtempSync(join(tmpdir(), 'platform-report-'));
  try {
    const context: OrgContext = {
      now,
      sources: new Map() as SourceCache,
      releases: new Map() as ReleasesCache,
      settings: loadSettings(),
      octokit,
      git: new RemoteGit(await gitToken(octokit), { name: 'platform report', email: 'platform-report@users.noreply.github.com' }),
      work,
    };
    const reports = await mapBounded(repositories, options.concurrency ?? 4, (repository) => inspectRemote(repository, context));
    return fleetReport(reports, org, now);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function inspectRemote(repository: FleetRepository, context: OrgContext): Promise<RepositoryReport> {
  const report: RepositoryReport = { name: repository.fullName, location: repository.htmlUrl };
  if (repository.record === null) return { ...report, error: `not a platform repository: no .yo-rc.json on ${repository.defaultBranch}` };
  let record;
  try {
    record = parseRecord(repository.record);
  } catch (error) {
    return { ...report, error: `not a platform repository: ${reason(error)}` };
  }
  const problems: string[] = [];
  Object.assign(report, await fromRecord(record, parseManifestText(repository.manifest ?? undefined), process.cwd(), context, problems));
  try {
    report.pullRequest = await upgradePullRequest(repository, context);
  } catch (error) {
    problems.push(`pull requests: ${describeGitHubError(error)}`);
  }
  const scanned = await latestAnalysis(repository, context).catch((error: unknown) => {
    problems.push(`code scanning: ${describeGitHubError(error)}`);
    return undefined;
  });
  if (scanned) Object.assign(report, scanned);
  else Object.assign(report, await fromClone(repository, context, problems));
  if (problems.length) report.problems = problems;
  return report;
}

/** The newest open pull request on an upgrade branch of the rollout's. */
async function upgradePullRequest(repository: FleetRepository, context: OrgContext): Promise<PullRequestStatus | null> {
  const pulls = await context.octokit.paginate(context.octokit.rest.pulls.list, { owner: repository.owner, repo: repository.name, state: 'open', per_page: 100 });
  const upgrades = pulls.filter((pull) => branchVersion(pull.head.ref) !== undefined).sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  const pull = upgrades[0];
  if (!pull) return null;
  return { number: pull.number, url: pull.html_url, title: pull.title, openedAt: pull.created_at, ageDays: Math.max(0, daysBetween(pull.created_at.slice(0, 10), context.now)) };
}

/**
 * The findings and drift of the newest `platform validate` analysis of the default branch; undefined when
 * code scanning has none (not enabled, never uploaded: GitHub answers 403 or 404).
 */
async function latestAnalysis(repository: FleetRepository, context: OrgContext): Promise<Pick<RepositoryReport, 'findings' | 'drift'> | undefined> {
  const { octokit } = context;
  let analyses;
  try {
    analyses = await octokit.rest.codeScanning.listRecentAnalyses({ owner: repository.owner, repo: repository.name, ref: `refs/heads/${repository.defaultBranch}`, tool_name: SARIF_TOOL, per_page: 1 });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404) return undefined;
    throw error;
  }
  const analysis = analyses.data[0];
  if (!analysis) return undefined;
  const sarif = await octokit.request('GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}', {
    owner: repository.owner,
    repo: repository.name,
    analysis_id: analysis.id,
    headers: { accept: 'application/sarif+json' },
  });
  return findingsFromSarif(sarif.data as unknown, `${repository.fullName} code scanning analysis ${analysis.id}`);
}

/** Validate a shallow clone of the default branch, as `platform validate` and `platform check` would. */
async function fromClone(repository: FleetRepository, context: OrgContext, problems: string[]): Promise<Pick<RepositoryReport, 'findings' | 'drift'>> {
  const dir = mkdtempSync(join(context.work, 'clone-'));
  try {
    await context.git.run(dir, ['clone', '-q', '--depth', '1', '--single-branch', '--no-tags', '--branch', repository.defaultBranch, repository.cloneUrl, '.']);
    return await inspectFiles(dir, context, problems);
  } catch (error) {
    if (!(error instanceof RemoteGitError)) throw error;
    problems.push(`clone: ${error.reason}`);
    return {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
