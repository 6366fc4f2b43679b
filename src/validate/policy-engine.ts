/**
 * The bridge to the policy engine (src/policy), which evaluates the data-file policies over the model.
 * Imported on first use, so that a run pays for the engine only when it reaches this stage.
 */
import type { Problem } from './problem.js';
import type { PolicyMetadata, RepositoryModel, ValidateOptions } from './types.js';

export interface EngineResult {
  findings: Problem[];
  policies: PolicyMetadata[];
}

export async function runPolicyEngine(model: RepositoryModel, options: ValidateOptions): Promise<EngineResult> {
  const { runPolicies } = await import('../policy/index.js');
  return runPolicies(model, { policies: options.policies, now: options.now, settingsFile: options.settingsFile });
}
