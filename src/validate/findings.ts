/**
 * The one place a finding is finished. Every stage (the loader, the parser, the schema checks, the
 * policy engine) reports problems: policy, place and message. Here each gets its policy's severity (the
 * organization's override already applied when the policies were loaded) and help link, the waivers of
 * platform.yaml are applied, duplicates dropped, and the list put in one order: file, line, column,
 * policy, end, message.
 */
import type { Manifest } from '../manifest/types.js';
import type { Settings } from '../settings/settings.js';
import { compare } from './load.js';
import { helpUriFor } from '../policy/load.js';
import { organizationValues } from '../policy/organization.js';
import type { Problem } from './problem.js';
import type { Finding, PolicyMetadata, RepositoryFile } from './types.js';
import { activeWaivers, applyWaivers, resourceLocator } from './waivers.js';

export interface FinalizeInput {
  problems: Problem[];
  policies: PolicyMetadata[];
  settings: Settings;
  manifest: Manifest | undefined;
  /** The repository's files, to know which resource a finding is on (for `resource` waivers). */
  files: readonly RepositoryFile[];
  now: Date;
}

export function finalizeFindings(input: FinalizeInput): Finding[] {
  const metadata = new Map(input.policies.map((policy) => [policy.id, policy]));
  const org = organizationValues(input.settings);
  const complete = (found: Problem): Finding => {
    const policy = metadata.get(found.policy);
    return {
      ...found,
      severity: policy?.severity ?? 'error',
      // A policy no folder describes still gets the link its documentation would have.
      helpUri: policy?.helpUri ?? helpUriFor(found.policy, org),
      waived: false,
    };
  };
  const waived = applyWaivers(dedupeFindings(input.problems).map(complete), activeWaivers(input.manifest, input.now, input.settings), resourceLocator(input.files));
  return sortFindings(waived);
}

/** The same policy, place and message reported twice is one finding. */
export function dedupeFindings<T extends Problem>(findings: T[]): T[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = [finding.policy, finding.file, finding.line, finding.column, finding.endLine, finding.endColumn, finding.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The one order of findings, in every report. */
export function sortFindings<T extends Problem>(findings: T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compare(a.policy, b.policy) ||
      a.endLine - b.endLine ||
      a.endColumn - b.endColumn ||
      compare(a.message, b.message),
  );
}
