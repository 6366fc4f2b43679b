/**
 * The validator as a library: `validateRepository(root)` runs load -> parse -> schema checks and policies
 * -> waivers and returns every finding in a stable order. The CLI and the GitHub Action are adapters
 * over this one function; reporters (src/report) turn its result into text, JSON, SARIF...
 */
import { resolve } from 'node:path';
import { loadSettings, type Settings } from '../settings/settings.js';
import { FILE_READABLE, loadRepository } from './load.js';
import { buildModel, modelFromFiles } from './model.js';
import { YAML_SYNTAX } from './parse.js';
import type { Problem } from './problem.js';
import { schemaFindings } from './schema-checks.js';
import { finalizeFindings } from './findings.js';
import { runPolicyEngine } from './policy-engine.js';
import { platformRepositoryUrl } from '../policy/load.js';
import type { RepositoryModel, ValidateOptions, ValidationResult } from './types.js';

export type * from './types.js';
export { SEVERITIES } from './types.js';

let defaultSettings: Settings | undefined;

/** The organization settings in force: the file given, or the embedded default (read once per process). */
export function settingsFor(options: ValidateOptions): Settings {
  if (options.settingsFile) return loadSettings(resolve(options.settingsFile), options.settingsFile);
  defaultSettings ??= loadSettings();
  return defaultSettings;
}

export async function validateRepository(root: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const settings = settingsFor(options);
  const loaded = loadRepository(root, { maxFileBytes: options.maxFileBytes });
  const result = await validateModel(buildModel(loaded, settings), options);
  return { ...result, root: resolve(root) };
}

/** The same pipeline over an in-memory file tree (path -> text): policy examples and tests use it. */
export async function validateFiles(files: Record<string, string>, options: ValidateOptions = {}): Promise<ValidationResult> {
  return validateModel(modelFromFiles(files, settingsFor(options), '.', options.maxFileBytes), options);
}

async function validateModel({ model, problems }: { model: RepositoryModel; problems: Problem[] }, options: ValidateOptions): Promise<ValidationResult> {
  const { settings } = model;
  const unreadable = new Set(problems.filter((p) => p.policy === FILE_READABLE || p.policy === YAML_SYNTAX).map((p) => p.file));
  const found: Problem[] = [...problems, ...(await schemaFindings(model, unreadable))];
  const engine = await runPolicyEngine(model, options);
  const policies = [...engine.policies].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const findings = finalizeFindings({ problems: [...found, ...engine.findings], policies, settings, manifest: model.manifest, files: model.files, now: options.now ?? new Date() });
  return {
    root: model.root,
    findings,
    policies,
    filesChecked: model.files.length,
    toolUri: platformRepositoryUrl(settings),
  };
}
