/**
 * Central policies only protect a repository whose pull requests are validated: some workflow must
 * run the organization's platform Action (directly, or through the platform's reusable validation
 * workflow) on `pull_request`.
 */
import { isPlainObject } from '../select.js';
import { manifestDoc } from './manifest-doc.js';
import type { BuiltinCheck } from './registry.js';
import { jobsOf, stepsOf, triggersOf } from './workflow-steps.js';

export const platformWorkflowPresent: BuiltinCheck = {
  name: 'platform-workflow-present',
  scope: 'files',
  description: "Looks for a workflow on pull_request with a step that uses settings.action.repository, or a job that calls one of the given reusable workflows of settings.workflows.repository.",
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { reusableWorkflows: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9._-]+\\.ya?ml$' } } },
  },
  defaults: { reusableWorkflows: [] },
  run(context) {
    const manifest = manifestDoc(context.model);
    if (!manifest) return;
    const action = context.settings.action.repository.toLowerCase();
    const workflows = context.settings.workflows.repository.toLowerCase();
    const reusable = (context.params.reusableWorkflows as string[]).map((name) => `${workflows}/.github/workflows/${name.toLowerCase()}`);
    const usesPlatform = (uses: unknown, job: boolean): boolean => {
      if (typeof uses !== 'string') return false;
      const target = uses.split('@')[0]!.toLowerCase();
      return job ? reusable.includes(target) : target === action || target.startsWith(`${action}/`);
    };
    let onPullRequest = false;
    const elsewhere: Array<() => void> = [];
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        const runs = jobsOf(file, doc).some((job) => usesPlatform(job.value.uses, true)) || stepsOf(file, doc).some((step) => usesPlatform(step.value.uses, false));
        if (!runs) continue;
        if (triggersOf(doc).includes('pull_request')) onPullRequest = true;
        else if (isPlainObject(doc.value)) {
          elsewhere.push(() => context.reportAt(file.path, doc, ['on'], `runs the platform validation, but not on pull_request`, { key: true }));
        }
      }
    }
    if (onPullRequest) return;
    if (elsewhere.length > 0) elsewhere.forEach((report) => report());
    else context.reportAt(manifest.file.path, manifest.doc, ['metadata', 'name'], `no workflow runs the platform validation (${context.settings.action.repository}) on pull_request: pull requests are not checked against the central policies`);
  },
};
