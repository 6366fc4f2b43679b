import { readdirSync, readFileSync, lstatSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { UserError } from '../core/errors.js';
import { templatesDir } from '../core/paths.js';
import { readYamlFile } from '../core/yaml.js';
import { loadSettings, type Settings } from '../settings/settings.js';
import { RUNTIMES } from './runtimes.js';

export type Mode = 'managed' | 'merged' | 'seeded';
export const MODES: readonly Mode[] = ['managed', 'merged', 'seeded'];

export interface TemplateDefinition {
  name: string;
  version: string;
  description?: string;
  /** Ownership modes by glob over the generated path; the first match wins and every file must match. */
  modes: Array<{ pattern: string; mode: Mode }>;
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
export interface TemplateSource {
  dir: string;
  settings: Settings;
  template: TemplateDefinition;
  files: TemplateFile[];
  versions: Record<string, unknown>;
  modeOf(path: string): Mode;
}

export const DEFAULT_TEMPLATE = 'service';

/** Read a template source folder: `settings.yaml` and `<template>/{template.yaml,versions/,files/,runtimes/<id>/}`. */
export function loadTemplateSource(dir = templatesDir, templateName = DEFAULT_TEMPLATE): TemplateSource {
  const settings = loadSettings(join(dir, 'settings.yaml'));
  for (const runtime of settings.runtimes) {
    if (!RUNTIMES.some((known) => known.id === runtime)) {
      throw new UserError(`runtime "${runtime}" has no templates (known: ${RUNTIMES.map((r) => r.id).join(', ')})`, join(dir, 'settings.yaml'));
    }
  }
  const root = join(dir, templateName);
  if (!existsSync(join(root, 'template.yaml'))) throw new UserError(`no template "${templateName}" in ${dir}`);
  const template = readYamlFile(join(root, 'template.yaml')).value as TemplateDefinition;
  const versions = loadVersions(join(root, 'versions'));
  const files = listFiles(join(root, 'files')).map((path) => templateFile(root, join('files', path), path));
  const runtimesDir = join(root, 'runtimes');
  for (const runtime of existsSync(runtimesDir) ? readdirSync(runtimesDir).sort() : []) {
    for (const path of listFiles(join(runtimesDir, runtime))) {
      files.push({ ...templateFile(root, join('runtimes', runtime, path), path), runtime });
    }
  }
  const matchers = template.modes.map((rule) => ({ match: picomatch(rule.pattern, { dot: true }), rule }));
  const modeOf = (path: string): Mode => {
    const found = matchers.find(({ match }) => match(path));
    if (!found) throw new UserError(`no ownership mode for "${path}": add a pattern to modes`, join(root, 'template.yaml'));
    return found.rule.mode;
  };
  return { dir, settings, template, files, versions, modeOf };
}

/** `versions/actions.yaml` becomes `versions.actions`: one file per kind of pinned thing. */
function loadVersions(dir: string): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const file of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (file.endsWith('.yaml')) versions[file.slice(0, -'.yaml'.length)] = readYamlFile(join(dir, file)).value ?? {};
  }
  return versions;
}

function templateFile(root: string, origin: string, path: string): TemplateFile {
  return { path, origin: join(root, origin), text: readFileSync(join(root, origin), 'utf8') };
}

/** Every regular file below `dir`, as sorted `/`-separated relative paths. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current)) {
      const full = join(current, entry);
      const stat = lstatSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) found.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}
