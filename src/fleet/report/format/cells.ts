/** What every format of the fleet report shows the same way: a repository's numbers as short words. */
import type { RepositoryReport } from '../types.js';

/** "2 versions, 40 days", "current", or "?" when the source could not be read. */
export function behindText(repository: RepositoryReport): string {
  const behind = repository.behind;
  if (!behind) return '?';
  if (behind.versions === 0) return 'current';
  return `${behind.versions} version${behind.versions === 1 ? '' : 's'}${behind.days === null ? '' : `, ${behind.days} day${behind.days === 1 ? '' : 's'}`}`;
}

export function pullRequestText(repository: RepositoryReport): string {
  const pull = repository.pullRequest;
  if (pull === undefined) return '';
  if (pull === null) return 'none';
  return `#${pull.number} (${pull.ageDays} day${pull.ageDays === 1 ? '' : 's'})`;
}

export function waiverText(repository: RepositoryReport): string {
  return (repository.waivers ?? []).map((waiver) => `${waiver.policy} until ${waiver.expires}`).join(', ');
}
