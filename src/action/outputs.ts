import * as core from '@actions/core';
import type { Counts } from '../report/counts.js';

export { failingCount } from '../report/counts.js';

/** The outputs declared in action.yml. */
export function setOutputs(counts: Counts, sarifFile: string): void {
  core.setOutput('errors', counts.error);
  core.setOutput('warnings', counts.warning);
  core.setOutput('infos', counts.info);
  core.setOutput('waived', counts.waived);
  core.setOutput('total', counts.total);
  core.setOutput('sarif-file', sarifFile);
}
