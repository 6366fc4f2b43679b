/**
 * Waivers: `spec.exceptions` in platform.yaml. An exception waives the findings of one policy until its
 * `expires` date, that day included (in UTC); from the next day on it waives nothing. With `file` (a
 * glob) it waives only the findings in those files, with `resource` (`Kind/name`) only those on that
 * resource. An exception without a reason, an approver or a valid date waives nothing either, nor one
 * approved by someone the organization settings do not list as an approver (exception-valid reports
 * each). A waiver never removes a finding: it stays in every report, marked waived, and does not fail
 * the run.
 */
import picomatch from 'picomatch';
import type { Manifest } from '../manifest/types.js';
import type { Settings } from '../settings/settings.js';
import type { Finding, RepositoryFile } from './types.js';
import { isCalendarDate } from '../core/dates.js';
import { identityOf } from '../policy/workloads.js';

/** A waiver cannot waive the check on waivers. */
const NOT_WAIVABLE = new Set(['exception-valid']);

export interface ActiveWaiver {
  policy: string;
  file?: string;
  resource?: string;
  reason: string;
  approvedBy: string;
  expires: string;
}

/** Whether the settings let `approvedBy` approve a waiver (any approver when they list none). */
export function approverAllowed(settings: Settings, approvedBy: string): boolean {
  const approvers = settings.exceptions?.approvers ?? [];
  return approvers.length === 0 || approvers.includes(approvedBy.trim());
}

export function activeWaivers(manifest: Manifest | undefined, now: Date, settings: Settings): ActiveWaiver[] {
  const exceptions: unknown = (manifest as { spec?: { exceptions?: unknown } } | undefined)?.spec?.exceptions;
  if (!Array.isArray(exceptions)) return [];
  const today = now.toISOString().slice(0, 10);
  return exceptions.filter((entry): entry is ActiveWaiver => isComplete(entry) && today <= entry.expires && approverAllowed(settings, entry.approvedBy));
}

function isComplete(entry: unknown): entry is ActiveWaiver {
  if (typeof entry !== 'object' || entry === null) return false;
  const { policy, file, resource, reason, approvedBy, expires } = entry as Record<string, unknown>;
  return (
    typeof policy === 'string' && policy !== '' &&
    (file === undefined || (typeof file === 'string' && file !== '')) &&
    (resource === undefined || (typeof resource === 'string' && resource.includes('/'))) &&
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

/** `Kind/name` of the resource (YAML document) a finding's line falls in, if any. */
export type ResourceAt = (file: string, line: number) => string | undefined;

export function resourceLocator(files: readonly RepositoryFile[]): ResourceAt {
  const byPath = new Map(files.map((file) => [file.path, file]));
  return (path, line) => {
    // Documents come in file order: the finding is in the last one that starts at or before its line.
    let found: unknown;
    for (const doc of byPath.get(path)?.documents ?? []) {
      if (doc.locate([]).line > line) break;
      found = doc.value;
    }
    const identity = identityOf(found);
    return identity && identity.name ? `${identity.kind}/${identity.name}` : undefined;
  };
}

const globs = new Map<string, (path: string) => boolean>();

function matchesGlob(pattern: string, path: string): boolean {
  let matcher = globs.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true });
    globs.set(pattern, matcher);
  }
  return matcher(path);
}

function covers(waiver: ActiveWaiver, finding: Finding, resourceAt: ResourceAt): boolean {
  if (waiver.policy !== finding.policy) return false;
  if (waiver.file !== undefined && !matchesGlob(waiver.file, finding.file)) return false;
  if (waiver.resource !== undefined && resourceAt(finding.file, finding.line) !== waiver.resource) return false;
  return true;
}

export function applyWaivers(findings: Finding[], waivers: ActiveWaiver[], resourceAt: ResourceAt = () => undefined): Finding[] {
  return findings.map((finding) => {
    if (NOT_WAIVABLE.has(finding.policy) || aboutWaivers(finding)) return finding;
    const waiver = waivers.find((candidate) => covers(candidate, finding, resourceAt));
    if (!waiver) return finding;
    return { ...finding, waived: true, waiver: { reason: waiver.reason, approvedBy: waiver.approvedBy, expires: waiver.expires } };
  });
}
