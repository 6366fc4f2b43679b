/**
 * The parts of one repository's report that do not depend on where it was read from (a local folder or
 * GitHub): its owner and waivers from platform.yaml, its findings by severity and policy, how far behind.
 */
import { parse } from 'yaml';
import type { Manifest } from '../../manifest/types.js';
import type { Finding, Severity } from '../../validate/types.js';
import { activeWaivers } from '../../validate/waivers.js';
import { daysBetween } from './releases.js';
import type { FindingsSummary, WaiverStatus } from './types.js';
import type { Settings } from '../../settings/settings.js';

/** platform.yaml as far as it parses: a broken one still leaves the record's answers to name the owner. */
export function parseManifestText(text: string | undefined): Manifest | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = parse(text, { maxAliasCount: 100 });
    return typeof value === 'object' && value !== null ? (value as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

export function ownerOf(manifest: Manifest | undefined, recorded: Manifest | undefined): string | undefined {
  const owner = manifest?.metadata?.owner ?? recorded?.metadata?.owner;
  return typeof owner === 'string' && owner !== '' ? owner : undefined;
}

/** The waivers in force on the report's day (by the organization's approvers, when its settings list them), soonest to expire first. */
export function waiversOf(manifest: Manifest | undefined, now: Date, settings: Settings): WaiverStatus[] {
  return activeWaivers(manifest, now, settings)
    .map(({ policy, reason, approvedBy, expires }) => ({ policy, reason, approvedBy, expires, daysLeft: -daysBetween(expires, now) }))
    .sort((a, b) => a.daysLeft - b.daysLeft || (a.policy < b.policy ? -1 : 1));
}

/** What a findings summary is built from: the validator's findings, or a SARIF analysis read back as the same. */
export type FindingLike = Pick<Finding, 'policy' | 'severity' | 'waived'>;

export function summarizeFindings(findings: readonly FindingLike[], from: FindingsSummary['from']): FindingsSummary {
  const summary: FindingsSummary = { from, bySeverity: { error: 0, warning: 0, info: 0 }, waived: 0, byPolicy: {} };
  for (const finding of findings) {
    const policy = (summary.byPolicy[finding.policy] ??= { severity: finding.severity, open: 0, waived: 0 });
    if (rank(finding.severity) < rank(policy.severity)) policy.severity = finding.severity;
    if (finding.waived) {
      summary.waived += 1;
      policy.waived += 1;
    } else {
      summary.bySeverity[finding.severity] += 1;
      policy.open += 1;
    }
  }
  summary.byPolicy = Object.fromEntries(Object.entries(summary.byPolicy).sort(([a], [b]) => (a < b ? -1 : 1)));
  return summary;
}

const rank = (severity: Severity): number => ['error', 'warning', 'info'].indexOf(severity);

/** Unwaived findings of a summary. */
export function openFindings(summary: FindingsSummary | undefined): number {
  return summary ? summary.bySeverity.error + summary.bySeverity.warning + summary.bySeverity.info : 0;
}
