/**
 * GitHub's Actions language is a bundle of its own (dist/cli/workflows.cjs, with its code cache), loaded
 * the first time a repository has a workflow or an action: a repository without one, and every command
 * other than validate, never pays for it. A bundle that carries the language itself (the GitHub Action)
 * hands it over with provideWorkflowLanguage().
 */
import { join } from 'node:path';
import * as yaml from 'yaml';
import { loadCommonJs } from '../core/code-cache.js';
import { packageRoot } from '../core/paths.js';
import type { WorkflowLanguage } from './types.js';

export type * from './types.js';

let provided: WorkflowLanguage | undefined;

export function provideWorkflowLanguage(language: WorkflowLanguage): void {
  provided = language;
}

export function workflowLanguage(): WorkflowLanguage {
  // The bundle reads YAML with this process's `yaml` rather than a copy of its own (scripts/bundle-cli.js).
  (globalThis as Record<symbol, unknown>)[Symbol.for('generator-platform.yaml')] ??= yaml;
  provided ??= (loadCommonJs(join(packageRoot, 'dist', 'cli', 'workflows.cjs')) as { language: WorkflowLanguage }).language;
  return provided;
}
