import { resolve } from 'node:path';
import picomatch from 'picomatch';
import { UserError } from '../core/errors.js';
import { templatesDir } from '../core/paths.js';
import { checkSettings, type Settings } from '../settings/settings.js';
import { RUNTIMES } from './runtimes.js';
import { folderTree, type FileTree } from './tree.js';
import { checkTemplateDefinition } from './template-definition.js';
import type { Migration } from '../upgrade/migrations.js';

export type Mode = 'managed' | 'merged' | 'seeded';
export const MODES: readonly Mode[] = ['managed', 'merged', 'seeded'];

export interface TemplateDefinition {
  name: string;
  version: string;
  description?: string;
  /** Ownership modes by glob over the generated path; the first match wins and every file must match. */
  modes: Array<{ pattern: string; mode: Mode }>;
  /** How to move a repository's answers to this version; carried as written (src/upgrade/ reads them). */
  migrations?: Migration[];
}

export interface TemplateFile {
  /** Path in the generated repository; `__env__` anywhere in it makes one file per environment. */
  path: string;
  /** Where it came from, for error messages. */
  origin: string;
  text: string;
  /** Only for files of one runtime's folder. */
  runtime?: string;
}

/** Everything a rendering needs, read once: settings, template definition, template files, pinned versions. */
/** Where a template source came from, as the generation record keeps it: the spec as given, and the git commit. */
export interface SourceOrigin {
  spec: string;
  commit: string | null;
}

export interface TemplateSource {
  /** The folder it was read from, or the label of the in-memory tree (for messages). */
  dir: string;
  origin: SourceOrigin;
  settings: Settings;
  template: TemplateDefinition;
  files: TemplateFile[];
  versions: Record<string, unknown>;
  modeOf(path: string): Mode;
  /** CHANGELOG.json of the source at this version (written by `platform publish`), when it has one. */
  changelog?: string;
}

export const DEFAULT_TEMPLATE = 'service';

/**
 * Read a template source folder: `settings.yaml` and `<template>/{template.yaml,versions/,files/,runtimes/<id>/}`.
 * Its origin is the folder itself unless the caller knows better (a git source passes its spec and commit).
 */
export function loadTemplateSource(dir = templatesDir, templateName = DEFAULT_TEMPLATE, origin?: SourceOrigin): TemplateSource {
  // The package's own folder is the embedded source, whoever loads it: the record says so either way.
  const given = origin ?? (resolve(dir) === templatesDir ? { spec: 'embedded', commit: null } : undefined);
  return loadTemplateTree(folderTree(dir), templateName, given);
}

/** The same, from any file tree (a folder, or a released snapshot held in memory). */
export function loadTemplateTree(tree: FileTree, templateName = DEFAULT_TEMPLATE, origin: SourceOrigin = { spec: tree.root, commit: null }): TemplateSource {
  const settings = checkSettings(tree.yaml('settings.yaml'));
  for (const runtime of settings.runtimes) {
    if (!RUNTIMES.some((known) => known.id === runtime)) {
      throw new UserError(`runtime "${runtime}" has no templates (known: ${RUNTIMES.map((r) => r.id).join(', ')})`, tree.name('settings.yaml'));
    }
  }
  const root = templateName;
  if (!tree.has(`${root}/template.yaml`)) throw new UserError(`no template "${templateName}" in ${tree.root}`);
  const template = checkTemplateDefinition(tree.yaml(`${root}/template.yaml`), tree.name(`${root}/template.yaml`));
  // The record names a template by this name, and later commands find it by its folder: they must agree.
  if (template.name !== templateName) throw new UserError(`name: "${template.name}", but the template's folder is ${templateName}: they must be the same`, tree.name(`${root}/template.yaml`));
  const versions = loadVersions(tree, `${root}/versions`);
  checkPostgresImages(settings, versions, tree.name(`${root}/versions/postgres.yaml`));
  const files = below(tree, `${root}/files`).map((path) => templateFile(tree, `${root}/files/${path}`, path));
  // Grouped by runtime first, in the order of the runtimes' names, as the folder's listing gave them.
  const byRuntime = new Map<string, string[]>();
  for (const path of below(tree, `${root}/runtimes`)) {
    const [runtime, ...rest] = path.split('/');
    if (rest.length === 0) continue;
    byRuntime.set(runtime!, [...(byRuntime.get(runtime!) ?? []), rest.join('/')]);
  }
  for (const runtime of [...byRuntime.keys()].sort()) {
    for (const path of byRuntime.get(runtime)!) files.push({ ...templateFile(tree, `${root}/runtimes/${runtime}/${path}`, path), runtime });
  }
  const matchers = template.modes.map((rule) => ({ match: picomatch(rule.pattern, { dot: true }), rule }));
  const modeOf = (path: string): Mode => {
    const found = matchers.find(({ match }) => match(path));
    if (!found) throw new UserError(`no ownership mode for "${path}": add a pattern to modes`, tree.name(`${root}/template.yaml`));
    return found.rule.mode;
  };
  const changelog = tree.has('CHANGELOG.json') ? tree.read('CHANGELOG.json') : undefined;
  return { dir: tree.root, origin, settings, template, files, versions, modeOf, changelog };
}

/**
 * Every PostgreSQL version the settings allow has a pinned image, when the template pins them (a template
 * written before versions/postgres.yaml existed names the image by its major version).
 */
function checkPostgresImages(settings: Settings, versions: Record<string, unknown>, file: string): void {
  if (versions.postgres === undefined) return;
  const images = (versions.postgres as { images?: unknown }).images;
  for (const major of settings.databases.postgres.versions) {
    if (typeof (images as Record<string, unknown> | undefined)?.[major] !== 'string') {
      throw new UserError(`PostgreSQL ${major} is allowed by the settings (databases.postgres.versions) but has no pinned image under images`, file);
    }
  }
}

/** `versions/actions.yaml` becomes `versions.actions`: one file per kind of pinned thing. */
function loadVersions(tree: FileTree, dir: string): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const file of below(tree, dir)) {
    if (!file.includes('/') && file.endsWith('.yaml')) versions[file.slice(0, -'.yaml'.length)] = tree.yaml(`${dir}/${file}`).value ?? {};
  }
  return versions;
}

function templateFile(tree: FileTree, treePath: string, path: string): TemplateFile {
  return { path, origin: tree.name(treePath), text: tree.read(treePath) };
}

/** The files below `dir`, relative to it. */
function below(tree: FileTree, dir: string): string[] {
  return tree.list(dir).map((path) => path.slice(dir.length + 1));
}
