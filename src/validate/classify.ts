import type { FileKind } from './types.js';

/**
 * What a repository file is, from its path alone (the `settings` kind is decided after parsing, by the
 * document's own kind). Paths are repository-relative and '/'-separated.
 */
export function classify(path: string): FileKind {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (path === 'platform.yaml') return 'manifest';
  if (path === '.yo-rc.json') return 'record';
  if (path === 'catalog-info.yaml') return 'catalog';
  if (path === 'CODEOWNERS' || path === '.github/CODEOWNERS' || path === 'docs/CODEOWNERS') return 'codeowners';
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'workflow';
  if (name === 'action.yml' || name === 'action.yaml') return 'action';
  if (path.startsWith('deploy/') && isYamlName(name)) {
    return /^(kustomization\.ya?ml|Kustomization)$/.test(name) ? 'kustomization' : 'kubernetes';
  }
  if (isYamlName(name)) return 'yaml';
  return 'text';
}

export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** Kinds whose files are YAML (or JSON, which the YAML parser reads with positions). */
export function isStructured(kind: FileKind): boolean {
  return kind !== 'text' && kind !== 'codeowners';
}
