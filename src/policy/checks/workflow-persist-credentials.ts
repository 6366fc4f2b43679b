/**
 * actions/checkout writes the job's token into .git/config unless told `persist-credentials: false`.
 * In a workflow that runs code someone else wrote (a pull request's), every later step that runs the
 * checked-out code (a script, a local action) can read that token and push with it.
 */
import type { BuiltinCheck } from './registry.js';
import { stepsOf, TRIGGERS_PARAMS, workflowsOnTriggers } from './workflow-steps.js';

export const workflowPersistCredentials: BuiltinCheck = {
  name: 'workflow-persist-credentials',
  scope: 'files',
  description: 'In workflows on the given triggers, finds actions/checkout steps without `persist-credentials: false` that a later step of the same job follows with a `run:` script or a local action.',
  params: TRIGGERS_PARAMS,
  run(context) {
    for (const { file, doc, on } of workflowsOnTriggers(context)) {
      const steps = stepsOf(file, doc);
      steps.forEach((step, index) => {
        context.tick();
        const uses = typeof step.value.uses === 'string' ? step.value.uses.trim() : '';
        if (!uses.startsWith('actions/checkout@')) return;
        const withs = step.value.with && typeof step.value.with === 'object' ? (step.value.with as Record<string, unknown>) : {};
        if (withs['persist-credentials'] === false || withs['persist-credentials'] === 'false') return;
        const runner = steps.slice(index + 1).find((later) => later.jobId === step.jobId && (typeof later.value.run === 'string' || (typeof later.value.uses === 'string' && later.value.uses.trim().startsWith('./'))));
        if (!runner) return;
        const line = runner.doc.locate(runner.path).line;
        context.reportAt(file.path, doc, [...step.path, 'uses'], `actions/checkout keeps the job's token in .git/config (persist-credentials is on) and the step at line ${line} runs the checked-out code in a workflow on ${on.join(', ')}: set persist-credentials: false`);
      });
    }
  },
};
