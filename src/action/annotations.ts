import { githubCommand } from '../report/github.js';
import type { Finding, Severity } from '../validate/types.js';
import { touchesChangedLine, type ChangedLines } from './changed-lines.js';

/**
 * GitHub shows at most 10 annotations of each level per step and 50 per job, and drops the rest without a
 * word. So the action chooses which ones are shown (those on the pull request's own lines first) and
 * lists the others in the job summary.
 */
export const ANNOTATIONS_PER_LEVEL = 10;
export const ANNOTATIONS_PER_JOB = 50;

/** Annotations the step has already spent (the action's own warnings), per severity. */
export type AnnotationsUsed = Record<Severity, number>;

export interface AnnotationPlan {
  annotated: Finding[];
  /** Findings that GitHub would have dropped, for the summary. */
  notAnnotated: Finding[];
}

/** Findings on lines the pull request changed first; a stable partition keeps the validator's order within each. */
export function changedFirst(findings: readonly Finding[], changed: ChangedLines): Finding[] {
  const onChanged = (finding: Finding): boolean => touchesChangedLine(changed, finding.file, finding.line, finding.endLine);
  return [...findings.filter(onChanged), ...findings.filter((finding) => !onChanged(finding))];
}

/** Choose the annotations within GitHub's caps. Pure: findings in (not waived, in priority order), the plan out. */
export function planAnnotations(ordered: readonly Finding[], used: AnnotationsUsed = { error: 0, warning: 0, info: 0 }): AnnotationPlan {
  const left: Record<Severity, number> = {
    error: ANNOTATIONS_PER_LEVEL - used.error,
    warning: ANNOTATIONS_PER_LEVEL - used.warning,
    info: ANNOTATIONS_PER_LEVEL - used.info,
  };
  let leftInJob = ANNOTATIONS_PER_JOB - used.error - used.warning - used.info;
  const plan: AnnotationPlan = { annotated: [], notAnnotated: [] };
  for (const finding of ordered) {
    if (left[finding.severity] > 0 && leftInJob > 0) {
      left[finding.severity]--;
      leftInJob--;
      plan.annotated.push(finding);
    } else {
      plan.notAnnotated.push(finding);
    }
  }
  return plan;
}

/**
 * Print the annotations as workflow commands (`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=<policy>::message`),
 * in the same form as `platform validate --format github`.
 */
export function emitAnnotations(findings: readonly Finding[], write: (text: string) => void = (text) => process.stdout.write(text)): void {
  for (const finding of findings) write(`${githubCommand(finding)}\n`);
}
