import * as core from '@actions/core';
import { SEVERITIES, type Finding, type Severity } from '../validate/types.js';

export interface Counts {
  error: number;
  warning: number;
  info: number;
  waived: number;
  /** Findings that are not waived. */
  total: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0, waived: 0, total: 0 };
  for (const finding of findings) {
    if (finding.waived) {
      counts.waived++;
    } else {
      counts[finding.severity]++;
      counts.total++;
    }
  }
  return counts;
}

/** Findings at or above `failOn` that no exception waives: these, and only these, fail the step. */
export function failingCount(counts: Counts, failOn: Severity): number {
  const rank = SEVERITIES.indexOf(failOn);
  return SEVERITIES.filter((_, index) => index <= rank).reduce((sum, severity) => sum + counts[severity], 0);
}

/** The outputs declared in action.yml. */
export function setOutputs(counts: Counts, sarifFile: string): void {
  core.setOutput('errors', counts.error);
  core.setOutput('warnings', counts.warning);
  core.setOutput('infos', counts.info);
  core.setOutput('waived', counts.waived);
  core.setOutput('total', counts.total);
  core.setOutput('sarif-file', sarifFile);
}
