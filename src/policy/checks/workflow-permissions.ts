/**
 * The GITHUB_TOKEN's permissions default to whatever the repository or organization settings say,
 * often write to everything. A workflow says what it needs: `permissions:` at the top or on every job,
 * and when several jobs share a workflow, write access only on the jobs that need it rather than at the
 * top, where every job would get it. Blanket `read-all`/`write-all` is workflow-permissions-blanket's.
 */
import { isPlainObject } from '../select.js';
import type { BuiltinCheck } from './registry.js';
import { jobsOf } from './workflow-steps.js';

export const workflowPermissions: BuiltinCheck = {
  name: 'workflow-permissions',
  scope: 'files',
  description: 'Checks that each workflow declares permissions at the top or on every job, and grants write scopes at the top only when it has a single job.',
  run(context) {
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        if (!isPlainObject(doc.value)) continue;
        const jobs = jobsOf(file, doc);
        const top = doc.value.permissions;
        if (isPlainObject(top) && jobs.length > 1) {
          for (const [scope, level] of Object.entries(top)) {
            if (level === 'write') context.reportAt(file.path, doc, ['permissions', scope], `${scope}: write at the top gives it to all ${jobs.length} jobs: grant it on the job that needs it`, { key: true });
          }
        }
        for (const job of jobs) {
          const own = job.value.permissions;
          if (top === undefined && own === undefined) {
            context.reportAt(file.path, doc, job.path, `job "${job.id}" declares no permissions and the workflow none at the top: it gets the repository's default token permissions`, { key: true });
          }
        }
      }
    }
  },
};
