/**
 * How far behind a repository is, by its own template source: the released versions after its own up to
 * the newest, and the days since the first of them came out (from CHANGELOG.json or the tags, see
 * OpenedSource.releaseDates). Each source is opened and asked once per report, however many repositories
 * name it.
 */
import semver from 'semver';
import { openSource, type SourceCache } from '../../source/index.js';

export interface Releases {
  /** Every version of the source, ascending. */
  versions: string[];
  latest: string;
  dates: Record<string, string>;
}

export type ReleasesCache = Map<string, Promise<Releases>>;

export function releasesOf(spec: string, cwd: string, caches: { sources: SourceCache; releases: ReleasesCache }): Promise<Releases> {
  let found = caches.releases.get(spec);
  if (!found) {
    found = (async () => {
      const opened = await openSource(spec, { cwd, cache: caches.sources });
      const [versions, latest, dates] = await Promise.all([opened.versions(), opened.newest(), opened.releaseDates()]);
      return { versions, latest, dates };
    })();
    caches.releases.set(spec, found);
  }
  return found;
}

const DAY = 86_400_000;

/** Whole days from `day` (YYYY-MM-DD, UTC) to `now`'s day: 0 on the day itself, negative before it. */
export function daysBetween(day: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((today - Date.parse(`${day}T00:00:00Z`)) / DAY);
}

/** Released versions after `current` up to the newest, and days since the first of them was released. */
export function behindBy(current: string, releases: Releases, now: Date): { versions: number; days: number | null } {
  const newer = releases.versions.filter((version) => semver.prerelease(version) === null && semver.gt(version, current) && semver.lte(version, releases.latest));
  const first = newer[0];
  const date = first === undefined ? undefined : releases.dates[first];
  return { versions: newer.length, days: first === undefined ? 0 : date === undefined ? null : Math.max(0, daysBetween(date, now)) };
}
