/**
 * The repository as the checks see it: every loaded file, YAML ones parsed into documents with
 * positions, the manifest as written, and the organization settings in force.
 */
import type { Manifest } from '../manifest/types.js';
import type { Settings } from '../settings/settings.js';
import { classify, isStructured } from './classify.js';
import { MAX_YAML_BYTES } from '../core/yaml.js';
import { compare, decodeText, sizeProblem, type Loaded } from './load.js';
import { parseYamlText } from './parse.js';
import type { Problem } from './problem.js';
import type { RepositoryFile, RepositoryModel, YamlDocument } from './types.js';
import { append } from '../core/arrays.js';

export function buildModel(loaded: Loaded, settings: Settings): { model: RepositoryModel; problems: Problem[] } {
  const problems: Problem[] = [...loaded.problems];
  const files: RepositoryFile[] = loaded.files.map((file) => {
    if (!isStructured(file.kind)) return { path: file.path, kind: file.kind, text: file.text, documents: [] };
    const record = file.kind === 'record' ? jsonDocument(file.path, file.text) : undefined;
    if (record) return { path: file.path, kind: file.kind, text: file.text, documents: [record] };
    const parsed = parseYamlText(file.path, file.text);
    append(problems, parsed.problems);
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
 * The generation record is JSON written by the renderer: JSON.parse reads it many times faster than the
 * YAML parser, which is only run when a check asks where a key is. Text that is not JSON takes the YAML
 * path, whose findings say what is wrong with it.
 */
function jsonDocument(path: string, text: string): YamlDocument | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let parsed: YamlDocument | undefined;
  const positions = (): YamlDocument => (parsed ??= parseYamlText(path, text).documents[0]!);
  return { index: 0, value, locate: (at) => positions().locate(at), locateKey: (at) => positions().locateKey?.(at) };
}

/**
 * A model of an in-memory file tree (path -> text), as loading would build it from disk: for policy
 * examples and tests, which describe small repositories inline.
 */
export function modelFromFiles(files: Record<string, string>, settings: Settings, root = '.', maxFileBytes = MAX_YAML_BYTES): { model: RepositoryModel; problems: Problem[] } {
  const loaded: Loaded = { root, files: [], problems: [] };
  for (const path of Object.keys(files).sort(compare)) {
    const kind = classify(path);
    const bytes = Buffer.from(files[path]!, 'utf8');
    const tooLarge = sizeProblem(path, kind, bytes.length, maxFileBytes);
    const decoded = tooLarge === undefined ? decodeText(path, kind, bytes) : tooLarge;
    if (typeof decoded === 'string') loaded.files.push({ path, kind, text: decoded });
    else if (decoded) loaded.problems.push(decoded);
  }
  return buildModel(loaded, settings);
}

function isSettingsDocument(value: unknown): boolean {
  return isObject(value) && value['kind'] === 'OrganizationSettings' && typeof value['apiVersion'] === 'string' && value['apiVersion'].startsWith('platform.');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
