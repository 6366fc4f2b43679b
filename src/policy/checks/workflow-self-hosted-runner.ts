/**
 * On a public repository anyone can open a pull request, and a workflow that runs on it runs on the
 * runner its jobs name. A self-hosted runner keeps what a job leaves behind (files, processes, caches)
 * for the next job, and sits inside the organization's network. GitHub advises against them on public
 * repositories; the settings say whether the organization's repositories are (organization.visibility).
 */
import { isPlainObject } from '../select.js';
import type { BuiltinCheck } from './registry.js';
import { jobsOf } from './workflow-steps.js';

export const workflowSelfHostedRunner: BuiltinCheck = {
  name: 'workflow-self-hosted-runner',
  scope: 'files',
  description: "When the settings' organization.visibility is public (the default), finds jobs whose `runs-on` names the self-hosted label (a string, a list, or a `labels:` list of a group).",
  run(context) {
    if ((context.settings.organization.visibility ?? 'public') !== 'public') return;
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        for (const job of jobsOf(file, doc)) {
          context.tick();
          const runsOn = job.value['runs-on'];
          const labels = isPlainObject(runsOn) ? runsOn.labels : runsOn;
          const list = Array.isArray(labels) ? labels : [labels];
          const index = list.findIndex((label) => typeof label === 'string' && label.trim().toLowerCase() === 'self-hosted');
          if (index === -1) continue;
          const path = isPlainObject(runsOn) ? [...job.path, 'runs-on', 'labels'] : [...job.path, 'runs-on'];
          context.reportAt(file.path, doc, Array.isArray(labels) ? [...path, index] : path, `job "${job.id}" runs on a self-hosted runner in a public repository, where anyone's pull request can run code on it and leave some behind: use GitHub-hosted runners, or set organization.visibility in the settings when the repositories are private`);
        }
      }
    }
  },
};
