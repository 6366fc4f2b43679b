/**
 * A `platform validate` SARIF file (src/report/sarif.ts wrote it, code scanning keeps it) read back as
 * a findings summary and the drifted files: a result's rule is the policy, its level the severity, and
 * an external suppression is a waiver.
 */
import { UserError } from '../../core/errors.js';
import type { Severity } from '../../validate/types.js';
import { summarizeFindings, type FindingLike } from './repository.js';
import type { RepositoryReport } from './types.js';

/** The tool name our SARIF gives, by which code scanning filters analyses. */
export const SARIF_TOOL = 'platform validate';
const DRIFT_POLICY = 'managed-file-drift';

const SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', note: 'info', none: 'info' };

interface SarifResult {
  ruleId?: unknown;
  level?: unknown;
  suppressions?: unknown;
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: unknown } } }>;
}

export function findingsFromSarif(data: unknown, label: string): Pick<RepositoryReport, 'findings' | 'drift'> {
  const sarif = parse(data, label) as { runs?: Array<{ results?: SarifResult[]; tool?: { driver?: { rules?: Array<{ id?: unknown; defaultConfiguration?: { level?: unknown } }> } } }> };
  if (!Array.isArray(sarif?.runs)) throw new UserError('is not a SARIF log: no "runs"', label);
  const findings: FindingLike[] = [];
  const drift = new Set<string>();
  for (const run of sarif.runs) {
    const defaults = new Map((run.tool?.driver?.rules ?? []).map((rule) => [String(rule.id), String(rule.defaultConfiguration?.level ?? 'warning')]));
    for (const result of run.results ?? []) {
      const policy = typeof result.ruleId === 'string' ? result.ruleId : 'unknown';
      const level = typeof result.level === 'string' ? result.level : (defaults.get(policy) ?? 'warning');
      const waived = Array.isArray(result.suppressions) && result.suppressions.length > 0;
      findings.push({ policy, severity: SEVERITY[level] ?? 'warning', waived });
      const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
      if (policy === DRIFT_POLICY && !waived && typeof uri === 'string') drift.add(safeDecode(uri));
    }
  }
  return { findings: summarizeFindings(findings, 'code-scanning'), drift: [...drift].sort() };
}

/** GitHub's answer as octokit gives it: parsed JSON, text, or bytes (application/sarif+json is none of its JSON types). */
function parse(data: unknown, label: string): unknown {
  const text = typeof data === 'string' ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : undefined;
  if (text === undefined) return data;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`is not a SARIF log: ${(error as Error).message}`, label);
  }
}

function safeDecode(uri: string): string {
  try {
    return decodeURI(uri);
  } catch {
    return uri;
  }
}
