/** workflow-schema: every workflow under .github/workflows/ against our compact workflow schema. */
import { ownValidator } from '../own-schemas.js';
import { problem, type Problem } from '../problem.js';
import { schemaErrorProblems } from '../schema-errors.js';
import type { RepositoryModel } from '../types.js';
import { describeOwn } from './resources.js';

export const WORKFLOW_SCHEMA = 'workflow-schema';

export function checkWorkflows(model: RepositoryModel): Problem[] {
  const problems: Problem[] = [];
  for (const file of model.files) {
    if (file.kind !== 'workflow') continue;
    const [document, ...extra] = file.documents;
    for (const other of extra) problems.push(problem(WORKFLOW_SCHEMA, file.path, other.locate([]), 'a workflow file holds one document'));
    if (!document) continue;
    const validate = ownValidator('workflow');
    if (validate(document.value)) continue;
    problems.push(...schemaErrorProblems(validate.errors, { policy: WORKFLOW_SCHEMA, file: file.path, document, value: document.value, describe: describeOwn }));
  }
  return problems;
}
