/**
 * The schema checks, run by the pipeline (their policy data files carry metadata and examples only):
 * manifest-schema (platform.yaml and settings files), resource-schema, workflow-schema and action-schema.
 */
import { checkManifest } from './checks/manifest.js';
import { checkResources } from './checks/resources.js';
import { checkSettingsFile } from './checks/settings.js';
import { checkWorkflows } from './checks/workflows.js';
import type { Problem } from './problem.js';
import type { RepositoryModel } from './types.js';
import { append } from '../core/arrays.js';

export { MANIFEST_SCHEMA } from './checks/manifest.js';
export { RESOURCE_SCHEMA } from './checks/resources.js';
export { ACTION_SCHEMA, WORKFLOW_SCHEMA } from './checks/workflows.js';

/**
 * Every schema problem of a repository. `unreadable` names the files that could not be loaded or
 * parsed (their problems are already reported), so a missing document is not reported twice.
 */
export async function schemaFindings(model: RepositoryModel, unreadable: ReadonlySet<string> = new Set()): Promise<Problem[]> {
  const problems = checkManifest(model, (path) => unreadable.has(path));
  for (const file of model.files) if (file.kind === 'settings') append(problems, checkSettingsFile(file));
  append(problems, await checkResources(model));
  append(problems, checkWorkflows(model));
  return problems;
}
