/**
 * The fleet report's data: what `platform report` knows about each repository and the fleet view built
 * from them. Every format (text, json, markdown, html) prints this one structure; `--format json` is it.
 */
import type { Severity } from '../../validate/types.js';

export interface WaiverStatus {
  policy: string;
  reason: string;
  approvedBy: string;
  expires: string;
  /** Whole days from the report's day to the expiry (0: expires today). */
  daysLeft: number;
}

export interface PolicyCount {
  severity: Severity;
  /** Unwaived findings of this policy. */
  open: number;
  waived: number;
}

export interface FindingsSummary {
  /** Where the findings came from: this run's validation, or the repository's latest code scanning analysis. */
  from: 'validate' | 'code-scanning';
  bySeverity: Record<Severity, number>;
  waived: number;
  byPolicy: Record<string, PolicyCount>;
}

export interface PullRequestStatus {
  number: number;
  url: string;
  title: string;
  openedAt: string;
  ageDays: number;
}

export interface RepositoryReport {
  /** The folder's name, or owner/name on GitHub. */
  name: string;
  /** The folder, or the repository's web address. */
  location: string;
  /** Why the repository could not be reported on (not a platform repository, unreadable...). */
  error?: string;
  owner?: string;
  template?: string;
  version?: string;
  latest?: string;
  /** Released versions after this one up to the latest, and days since the first of them was released (null: no date known). */
  behind?: { versions: number; days: number | null };
  pullRequest?: PullRequestStatus | null;
  findings?: FindingsSummary;
  /** Managed files that differ from what their version rendered. */
  drift?: string[];
  /** A part that could not be read (the template source, the validation), with its reason. */
  problems?: string[];
  waivers?: WaiverStatus[];
}

export interface FleetSummary {
  repositories: number;
  /** Repositories that could not be reported on. */
  failed: number;
  versions: Array<{ version: string; repositories: number }>;
  /** Per policy: repositories with an open finding, with only waived ones, and without any. */
  compliance: Array<{ policy: string; severity: Severity; failing: number; waived: number; passing: number }>;
  mostBehind: Array<{ name: string; version: string; latest: string; versions: number; days: number | null }>;
  expiringWaivers: Array<WaiverStatus & { repository: string }>;
  owners: Array<{ owner: string; repositories: number; findings: number; errors: number }>;
}

export interface FleetReport {
  /** The report's moment, ISO 8601. */
  generatedAt: string;
  /** What was reported on: `--org ORG`, or the folders. */
  scope: string;
  repositories: RepositoryReport[];
  fleet: FleetSummary;
}

/** Waivers that expire within this many days are listed in the fleet view. */
export const EXPIRING_WITHIN_DAYS = 30;
