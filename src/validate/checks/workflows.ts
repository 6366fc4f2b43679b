/**
 * workflow-schema and action-schema: every workflow under .github/workflows/ and every action.yml checked
 * by GitHub's own parser against GitHub's own schemas (src/workflow), so that what GitHub accepts passes
 * and what it rejects is a finding, at the line and column GitHub names, expressions included.
 */
import { fileHead } from '../../policy/checks/text.js';
import { workflowLanguage } from '../../workflow/load.js';
import { problem, type Problem } from '../problem.js';
import type { RepositoryModel } from '../types.js';

export const WORKFLOW_SCHEMA = 'workflow-schema';
export const ACTION_SCHEMA = 'action-schema';

export function checkWorkflows(model: RepositoryModel): Problem[] {
  const problems: Problem[] = [];
  for (const file of model.files) {
    if (file.kind !== 'workflow' && file.kind !== 'action') continue;
    const policy = file.kind === 'workflow' ? WORKFLOW_SCHEMA : ACTION_SCHEMA;
    const [document, ...extra] = file.documents;
    for (const other of extra) problems.push(problem(policy, file.path, other.locate([]), `${file.kind === 'workflow' ? 'a workflow' : 'an action'} file holds one document`));
    // No document: the file did not parse, and yaml-syntax (or file-readable) already says why.
    if (!document || extra.length > 0) continue;
    const language = workflowLanguage();
    try {
      const found = file.kind === 'workflow' ? language.checkWorkflow(file.path, file.text) : language.checkAction(file.path, file.text);
      for (const { message, range } of found) problems.push(problem(policy, file.path, range ?? fileHead(file), message));
    } catch (error) {
      // A bug in the parser is a finding on the file, not the end of the run.
      problems.push(problem(policy, file.path, fileHead(file), `GitHub's parser could not check this file: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`));
    }
  }
  return problems;
}
