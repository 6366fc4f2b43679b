/**
 * Waivers: `spec.exceptions` in platform.yaml. An exception waives the findings of one policy until its
 * `expires` date, that day included (in UTC); from the next day on it waives nothing. An exception without
 * a reason, an approver or a valid date waives nothing either (exception-valid reports it). A waiver
 * never removes a finding: it stays in every report, marked waived, and does not fail the run.
 */
import type { Manifest } from '../manifest/types.js';
import type { Finding } from './types.js';
import { isCalendarDate } from '../core/dates.js';

/** A waiver cannot waive the check on waivers. */
const NOT_WAIVABLE = new Set(['exception-valid']);

export interface ActiveWaiver {
  policy: string;
  reason: string;
  approvedBy: string;
  expires: string;
}

export function activeWaivers(manifest: Manifest | undefined, now: Date): ActiveWaiver[] {
  const exceptions: unknown = (manifest as { spec?: { exceptions?: unknown } } | undefined)?.spec?.exceptions;
  if (!Array.isArray(exceptions)) return [];
  const today = now.toISOString().slice(0, 10);
  return exceptions.filter((entry): entry is ActiveWaiver => isComplete(entry) && today <= entry.expires);
}

function isComplete(entry: unknown): entry is ActiveWaiver {
  if (typeof entry !== 'object' || entry === null) return false;
  const { policy, reason, approvedBy, expires } = entry as Record<string, unknown>;
  return (
    typeof policy === 'string' && policy !== '' &&
    typeof reason === 'string' && reason.trim() !== '' &&
    typeof approvedBy === 'string' && approvedBy.trim() !== '' &&
    typeof expires === 'string' && isCalendarDate(expires)
  );
}


/**
 * Nor can it waive what is wrong with the waivers themselves: a schema finding on spec.exceptions in
 * platform.yaml (its message starts with the field path, as every manifest-schema message does).
 */
function aboutWaivers(finding: Finding): boolean {
  return finding.policy === 'manifest-schema' && finding.file === 'platform.yaml' && /^spec\.exceptions\b/.test(finding.message);
}

export function applyWaivers(findings: Finding[], waivers: ActiveWaiver[]): Finding[] {
  return findings.map((finding) => {
    if (NOT_WAIVABLE.has(finding.policy) || aboutWaivers(finding)) return finding;
    const waiver = waivers.find((candidate) => candidate.policy === finding.policy);
    if (!waiver) return finding;
    return { ...finding, waived: true, waiver: { reason: waiver.reason, approvedBy: waiver.approvedBy, expires: waiver.expires } };
  });
}
