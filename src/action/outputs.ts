import * as core from '@actions/core';
import type { Counts } from '../report/counts.js';
import { SEVERITIES, type Severity } from '../validate/types.js';

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
