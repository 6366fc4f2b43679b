/**
 * The fleet view, computed once from the repositories' reports so that every format shows the same
 * numbers: the version distribution, compliance by policy, the repositories most behind, the waivers
 * that expire soon and the owners with the most findings.
 */
import semver from 'semver';
import type { Severity } from '../../validate/types.js';
import { openFindings } from './repository.js';
import { EXPIRING_WITHIN_DAYS, type FleetReport, type FleetSummary, type RepositoryReport } from './types.js';

/** How many of the most-behind repositories and the busiest owners the fleet view lists. */
const TOP = 10;

export function fleetReport(repositories: RepositoryReport[], scope: string, now: Date): FleetReport {
  const sorted = [...repositories].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { generatedAt: now.toISOString(), scope, repositories: sorted, fleet: summarize(sorted) };
}

function summarize(repositories: RepositoryReport[]): FleetSummary {
  const reported = repositories.filter((repository) => !repository.error);
  return {
    repositories: repositories.length,
    failed: repositories.length - reported.length,
    versions: versionDistribution(reported),
    compliance: compliance(reported),
    mostBehind: reported
      .filter((repository) => repository.behind && repository.behind.versions > 0)
      .sort((a, b) => b.behind!.versions - a.behind!.versions || (b.behind!.days ?? -1) - (a.behind!.days ?? -1) || (a.name < b.name ? -1 : 1))
      .slice(0, TOP)
      .map((repository) => ({ name: repository.name, version: repository.version!, latest: repository.latest!, versions: repository.behind!.versions, days: repository.behind!.days })),
    expiringWaivers: reported
      .flatMap((repository) => (repository.waivers ?? []).map((waiver) => ({ ...waiver, repository: repository.name })))
      .filter((waiver) => waiver.daysLeft <= EXPIRING_WITHIN_DAYS)
      .sort((a, b) => a.daysLeft - b.daysLeft || (a.repository < b.repository ? -1 : 1)),
    owners: owners(reported),
  };
}

function versionDistribution(repositories: RepositoryReport[]): FleetSummary['versions'] {
  const counts = new Map<string, number>();
  for (const repository of repositories) if (repository.version) counts.set(repository.version, (counts.get(repository.version) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => semver.rcompare(a, b)).map(([version, count]) => ({ version, repositories: count }));
}

/** Only repositories whose findings are known count towards a policy; a policy no repository breaks is not listed. */
function compliance(repositories: RepositoryReport[]): FleetSummary['compliance'] {
  const checked = repositories.filter((repository) => repository.findings);
  const policies = new Map<string, { severity: Severity; failing: number; waived: number }>();
  for (const repository of checked) {
    for (const [policy, count] of Object.entries(repository.findings!.byPolicy)) {
      const entry = policies.get(policy) ?? { severity: count.severity, failing: 0, waived: 0 };
      if (count.open > 0) entry.failing += 1;
      else if (count.waived > 0) entry.waived += 1;
      policies.set(policy, entry);
    }
  }
  return [...policies]
    .map(([policy, entry]) => ({ policy, ...entry, passing: checked.length - entry.failing - entry.waived }))
    .sort((a, b) => b.failing - a.failing || b.waived - a.waived || (a.policy < b.policy ? -1 : 1));
}

function owners(repositories: RepositoryReport[]): FleetSummary['owners'] {
  const byOwner = new Map<string, { repositories: number; findings: number; errors: number }>();
  for (const repository of repositories) {
    const owner = repository.owner ?? '(no owner)';
    const entry = byOwner.get(owner) ?? { repositories: 0, findings: 0, errors: 0 };
    entry.repositories += 1;
    entry.findings += openFindings(repository.findings);
    entry.errors += repository.findings?.bySeverity.error ?? 0;
    byOwner.set(owner, entry);
  }
  return [...byOwner]
    .map(([owner, entry]) => ({ owner, ...entry }))
    .filter((entry) => entry.findings > 0)
    .sort((a, b) => b.findings - a.findings || b.errors - a.errors || (a.owner < b.owner ? -1 : 1))
    .slice(0, TOP);
}
