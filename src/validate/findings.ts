/**
 * From problems to findings: each gets its policy's severity (as the organization settings set it) and
 * help link, waivers are applied, duplicates dropped, and the list sorted by file, line, column, policy.
 */
import type { Manifest } from '../manifest/types.js';
import type { Settings } from '../settings/settings.js';
import { compare } from './load.js';
import { helpUriFor } from '../policy/load.js';
import { organizationValues } from '../policy/organization.js';
import type { Problem } from './problem.js';
import type { Finding, PolicyMetadata } from './types.js';
import { activeWaivers, applyWaivers } from './waivers.js';

export interface FinalizeInput {
  problems: Problem[];
  engineFindings: Finding[];
  policies: PolicyMetadata[];
  settings: Settings;
  manifest: Manifest | undefined;
  now: Date;
}

export function finalizeFindings(input: FinalizeInput): Finding[] {
  const { settings } = input;
  const metadata = new Map(input.policies.map((policy) => [policy.id, policy]));
  const complete = (finding: Problem & Partial<Finding>): Finding => {
    const policy = metadata.get(finding.policy);
    return {
      ...finding,
      // The organization decides severities; a repository cannot.
      severity: settings.policies?.severities?.[finding.policy] ?? finding.severity ?? policy?.severity ?? 'error',
      // A policy no folder describes still gets the link its documentation would have.
      helpUri: finding.helpUri ?? policy?.helpUri ?? helpUriFor(finding.policy, organizationValues(settings)),
      waived: false,
    };
  };
  const all = [...input.problems, ...input.engineFindings].map(complete);
  const waived = applyWaivers(all, activeWaivers(input.manifest, input.now));
  return sortFindings(dedupe(waived));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = [finding.policy, finding.file, finding.line, finding.column, finding.endLine, finding.endColumn, finding.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
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
