/** Versions of a source: semver, in one order everywhere, and the one a template.yaml declares. */
import semver from 'semver';
import { isScalar } from 'yaml';
import { UserError } from '../core/errors.js';
import { positionOf } from '../core/yaml.js';
import type { FileTree } from '../render/tree.js';

/** A version as sources name it: `X.Y.Z` (with an optional pre-release), exactly as semver writes it. */
export function isVersion(text: string): boolean {
  return semver.valid(text) === text;
}

export function ascending(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort(semver.compare);
}

/**
 * The newest version a team would want by default: the highest release, so that publishing a
 * pre-release (2.0.0-rc.1) does not move everyone onto it; a pre-release only when there is nothing else.
 */
export function newestOf(versions: readonly string[]): string | undefined {
  const sorted = ascending(versions);
  return sorted.filter((version) => semver.prerelease(version) === null).at(-1) ?? sorted.at(-1);
}

/** The version `<template>/template.yaml` of a tree declares, refused when it is not semver. */
export function declaredVersion(tree: FileTree, template: string): string {
  const file = `${template}/template.yaml`;
  if (!tree.has(file)) throw new UserError(`no template "${template}" in ${tree.root}`);
  const parsed = tree.yaml(file);
  const version = (parsed.value as { version?: unknown } | null)?.version;
  if (typeof version !== 'string' || !isVersion(version)) {
    // Named as written: YAML reads `1.0` as the number 1, which is not what the author typed.
    const node = parsed.doc.get('version', true);
    const written = isScalar(node) ? (node.source ?? String(node.value)) : JSON.stringify(version ?? null);
    const at = positionOf(parsed, ['version']);
    throw new UserError(`version "${written}" is not a semver version (X.Y.Z)`, tree.name(file), at.line, at.column);
  }
  return version;
}

/** A version the source does not have: say which it has, so the fix is one look away. */
export function unknownVersion(display: string, version: string, versions: readonly string[]): UserError {
  const has = versions.length === 0 ? 'no versions' : `versions ${versions.join(', ')}`;
  return new UserError(`template source ${display} has no version ${version} (it has ${has})`);
}
