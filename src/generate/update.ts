import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { UserError } from '../core/errors.js';
import { readManifest } from '../manifest/io.js';
import { manifestProblems } from '../manifest/rules.js';
import { MANIFEST_FILE, type Manifest } from '../manifest/types.js';
import { threeWayMerge } from '../merge/three-way.js';
import { RECORD_FILE, render, type RenderedFile } from '../render/render.js';
import type { TemplateSource } from '../render/source.js';
import { readRecord } from './record.js';

export interface FileWrite {
  path: string;
  content: string;
}

/** What re-rendering a repository after a change to platform.yaml will write, and what it could not merge. */
export interface UpdatePlan {
  writes: FileWrite[];
  /** Merged files whose team edits conflict with the platform's change: written with conflict markers. */
  conflicts: string[];
}

/**
 * Re-render a repository from its (changed) manifest. The previous rendering is re-created from the
 * generation record, so each file is treated by its mode: managed files are replaced, merged files get a
 * three-way merge that keeps the team's edits, seeded files are only created when new.
 */
export function planRerender(root: string, manifest: Manifest, manifestText: string, source: TemplateSource): UpdatePlan {
  const record = readRecord(root);
  if (record.template.version !== source.template.version || record.template.name !== source.template.name) {
    throw new UserError(
      `this repository is on template ${record.template.name}@${record.template.version}, not ${source.template.name}@${source.template.version}: run \`platform upgrade\` first`,
      RECORD_FILE,
    );
  }
  const before = new Map(render(record.answers, source).files.map((file) => [file.path, file.content]));
  const after = render(manifest, source).files;
  const writes: FileWrite[] = [{ path: MANIFEST_FILE, content: manifestText }];
  const conflicts: string[] = [];
  for (const file of after) {
    if (file.path === MANIFEST_FILE) continue;
    const current = readIfExists(join(root, file.path));
    const merged = nextContent(file, current, before.get(file.path), source.template.version);
    if (merged.conflict) conflicts.push(file.path);
    if (merged.content !== undefined && merged.content !== current) writes.push({ path: file.path, content: merged.content });
  }
  return { writes, conflicts };
}

function nextContent(file: RenderedFile, current: string | undefined, previous: string | undefined, version: string): { content?: string; conflict?: boolean } {
  if (current === undefined) return { content: file.content };
  if (file.mode === 'seeded') return {};
  if (file.mode === 'managed' || previous === undefined || current === previous) return { content: file.content };
  const result = threeWayMerge(current, previous, file.content, {
    ours: `${file.path} (your version)`,
    base: `${file.path} (template ${version}, before)`,
    theirs: `${file.path} (template ${version}, after)`,
  });
  return { content: result.content, conflict: result.conflicts > 0 };
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * Change platform.yaml through the YAML document model, so the team's comments and layout survive,
 * then check the result by the same rules as any manifest.
 */
export function editManifest(root: string, source: TemplateSource, edit: (doc: Document, manifest: Manifest) => void): { manifest: Manifest; text: string } {
  const file = join(root, MANIFEST_FILE);
  const { manifest } = readManifest(file, source.settings, MANIFEST_FILE);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  edit(doc, manifest);
  const changed = doc.toJS() as Manifest;
  const [problem] = manifestProblems(changed, source.settings);
  if (problem) throw new UserError(problem.message, MANIFEST_FILE);
  return { manifest: changed, text: doc.toString({ lineWidth: 0, flowCollectionPadding: true }) };
}
