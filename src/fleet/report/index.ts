/**
 * `platform report`: where the fleet stands. Each repository is inspected on its own (a failure is said
 * in its row and never stops the others), a few at a time, then the fleet view is computed once.
 */
import { mapBounded } from '../../core/map-bounded.js';
import { loadSettings } from '../../settings/settings.js';
import type { SourceCache } from '../../source/index.js';
import { inspectDirectory } from './local.js';
import type { ReleasesCache } from './releases.js';
import { fleetReport } from './summary.js';
import type { FleetReport, RepositoryReport } from './types.js';

export type * from './types.js';
export { fleetReport } from './summary.js';
export { FLEET_FORMATS, formatFleetReport, type FleetFormat } from './format/index.js';
export { reportOrganization, type OrganizationOptions } from './org.js';

export interface ReportOptions {
  /** "Today", for ages, days behind and waiver expiry; tests fix it. */
  now?: Date;
  /** Repositories inspected at once. */
  concurrency?: number;
}

/** The report on local clones: `platform report DIR...`. */
export async function reportDirectories(dirs: string[], options: ReportOptions = {}): Promise<FleetReport> {
  const now = options.now ?? new Date();
  const context = { now, sources: new Map() as SourceCache, releases: new Map() as ReleasesCache, settings: loadSettings() };
  const repositories = await mapBounded(dirs, options.concurrency ?? 4, (dir) => inspectDirectory(dir, context));
  return fleetReport(repositories, dirs.length === 1 ? dirs[0]! : `${dirs.length} folders`, now);
}

export type { RepositoryReport };
