import { SEVERITIES, type Finding, type Severity } from '../validate/types.js';

export interface Counts extends Record<Severity, number> {
  /** Findings waived by an exception (not counted by severity). */
  waived: number;
  /** Unwaived findings. */
  total: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0, waived: 0, total: 0 };
  for (const finding of findings) {
    if (finding.waived) counts.waived += 1;
    else {
      counts[finding.severity] += 1;
      counts.total += 1;
    }
  }
  return counts;
}

/**
 * The unwaived findings at or above `failOn`: these, and only these, fail `platform validate` (exit 1)
 * and the Action's step. The one place the threshold is computed.
 */
export function failingCount(counts: Counts, failOn: Severity): number {
  const rank = SEVERITIES.indexOf(failOn);
  return SEVERITIES.filter((_, index) => index <= rank).reduce((sum, severity) => sum + counts[severity], 0);
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "2 errors, 1 warning" (only the severities that occur), or "no problems". */
export function describeCounts(counts: Counts): string {
  const parts = (['error', 'warning', 'info'] as const).filter((severity) => counts[severity] > 0).map((severity) => plural(counts[severity], severity));
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}
