/**
 * The repository as the checks see it: every loaded file, YAML ones parsed into documents with
 * positions, the manifest as written, and the organization settings in force.
 */
import type { Manifest } from '../manifest/types.js';
import type { Settings } from '../settings/settings.js';
import { classify, isStructured } from './classify.js';
import { compare, type Loaded } from './load.js';
import { parseYamlText } from './parse.js';
import type { Problem } from './problem.js';
import type { RepositoryFile, RepositoryModel } from './types.js';

export function buildModel(loaded: Loaded, settings: Settings): { model: RepositoryModel; problems: Problem[] } {
  const problems: Problem[] = [...loaded.problems];
  const files: RepositoryFile[] = loaded.files.map((file) => {
    if (!isStructured(file.kind)) return { path: file.path, kind: file.kind, text: file.text, documents: [] };
    const parsed = parseYamlText(file.path, file.text);
    problems.push(...parsed.problems);
    const kind = file.kind === 'yaml' && isSettingsDocument(parsed.documents[0]?.value) ? 'settings' : file.kind;
    return { path: file.path, kind, text: file.text, documents: parsed.documents };
  });
  const byPath = new Map(files.map((file) => [file.path, file]));
  const manifestValue = byPath.get('platform.yaml')?.documents[0]?.value;
  const model: RepositoryModel = {
    root: loaded.root,
    files,
    file: (path) => byPath.get(path),
    settings,
  };
  if (isObject(manifestValue)) model.manifest = manifestValue as unknown as Manifest;
  return { model, problems };
}

/**
 * A model of an in-memory file tree (path -> text), as loading would build it from disk: for policy
 * examples and tests, which describe small repositories inline.
 */
export function modelFromFiles(files: Record<string, string>, settings: Settings, root = '.'): { model: RepositoryModel; problems: Problem[] } {
  const loaded: Loaded = {
    root,
    files: Object.keys(files)
      .sort(compare)
      .map((path) => ({ path, kind: classify(path), text: files[path]! })),
    problems: [],
  };
  return buildModel(loaded, settings);
}

function isSettingsDocument(value: unknown): boolean {
  return isObject(value) && value['kind'] === 'OrganizationSettings' && typeof value['apiVersion'] === 'string' && value['apiVersion'].startsWith('platform.');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
