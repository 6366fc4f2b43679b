import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import ejs from 'ejs';
import { UserError } from '../core/errors.js';
import { stringifyManifest } from '../manifest/io.js';
import { MANIFEST_FILE, RECORD_FILE, RECORD_KEY, type Manifest } from '../manifest/types.js';
import { CONTEXT_KEYS, buildContext, forEnvironment, type TemplateContext } from './context.js';
import type { Mode, TemplateFile, TemplateSource } from './source.js';

export interface RenderedFile {
  path: string;
  content: string;
  mode: Mode;
}

export interface Rendering {
  template: { name: string; version: string };
  /** Sorted by path; includes platform.yaml and the generation record. */
  files: RenderedFile[];
}

export { RECORD_FILE, RECORD_KEY } from '../manifest/types.js';
const ENV_SEGMENT = '__env__';

export interface GenerationRecord {
  /** Where the templates came from; absent in records written before template sources existed (embedded). */
  source?: { spec: string; commit: string | null };
  template: { name: string; version: string };
  answers: Manifest;
  files: Record<string, { mode: Mode; sha256: string }>;
}

type Compiled = (context: TemplateContext) => string;
const compiledCache = new WeakMap<TemplateFile, Compiled>();

/**
 * The renderer: a manifest and a template source in, files with their ownership modes out. Pure: it
 * reads and writes nothing, so generation, upgrades and publishing all see the same bytes.
 * The manifest must already be valid (see manifestProblems).
 */
export function render(manifest: Manifest, source: TemplateSource, manifestText = stringifyManifest(manifest)): Rendering {
  const context = buildContext(manifest, source.settings, source.versions, source.template.modes);
  const files: RenderedFile[] = [];
  for (const file of source.files) {
    if (file.runtime && file.runtime !== manifest.spec.runtime) continue;
    const perEnvironment = file.path.includes(ENV_SEGMENT);
    const targets = perEnvironment ? context.environments.map((env) => forEnvironment(context, env)) : [context];
    for (const target of targets) {
      const path = perEnvironment ? file.path.replaceAll(ENV_SEGMENT, target.env!.name) : file.path;
      const content = renderFile(file, target);
      // A template that renders to nothing is a file this repository does not need (no database, no secret...).
      if (content.trim() === '') continue;
      files.push({ path: safePath(path, file), content, mode: source.modeOf(path) });
    }
  }
  // platform.yaml as the repository has it (comments and all): its hash tells `check` whether it was edited since.
  files.push({ path: MANIFEST_FILE, content: manifestText, mode: source.modeOf(MANIFEST_FILE) });
  const template = { name: source.template.name, version: source.template.version };
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new UserError(`two template files render to "${file.path}"`);
    seen.add(file.path);
  }
  files.push({ path: RECORD_FILE, content: recordContent(source.origin, template, manifest, files), mode: 'managed' });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { template, files };
}

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function recordContent(origin: GenerationRecord['source'], template: Rendering['template'], manifest: Manifest, files: RenderedFile[]): string {
  const record: GenerationRecord = {
    source: origin,
    template,
    answers: manifest,
    files: Object.fromEntries(files.map((file) => [file.path, { mode: file.mode, sha256: sha256(file.content) }])),
  };
  return `${JSON.stringify({ [RECORD_KEY]: record }, null, 2)}\n`;
}

function renderFile(file: TemplateFile, context: TemplateContext): string {
  let compiled = compiledCache.get(file);
  if (!compiled) {
    try {
      compiled = ejs.compile(file.text, {
        filename: file.origin,
        strict: true,
        _with: false,
        localsName: 'it',
        destructuredLocals: [...CONTEXT_KEYS],
        escape: (text: string) => text,
      }) as Compiled;
    } catch (error) {
      throw new UserError(`template does not compile: ${(error as Error).message.split('\n')[0]}`, file.origin);
    }
    compiledCache.set(file, compiled);
  }
  try {
    return compiled(context);
  } catch (error) {
    throw new UserError(`template failed: ${(error as Error).message.split('\n').find((line) => line.trim()) ?? ''}`, file.origin);
  }
}

/** A generated path is relative, normalized and inside the repository, whatever the answers were. */
function safePath(path: string, file: TemplateFile): string {
  const normalized = posix.normalize(path);
  if (normalized !== path || path.startsWith('/') || normalized.split('/').includes('..')) {
    throw new UserError(`renders to an unsafe path "${path}"`, file.origin);
  }
  return path;
}
