import { diffLines } from 'diff';
import { UserError } from '../core/errors.js';
import type { RenderedFile } from '../render/render.js';
import { RECORD_FILE } from '../render/render.js';

export const CHANGELOG_MD = 'CHANGELOG.md';
/** Beside CHANGELOG.md at the root of a template source: the same entries for programs (rollout, report). */
export const CHANGELOG_JSON = 'CHANGELOG.json';

/** What changes in one example repository between two template versions. */
export interface ExampleChanges {
  example: string;
  /** The previous version could not render it (it uses what this release adds): every file is new to it. */
  new?: boolean;
  added: Array<{ path: string; lines: number }>;
  removed: Array<{ path: string; lines: number }>;
  changed: Array<{ path: string; added: number; removed: number }>;
}

/** One version's changelog entry: written to CHANGELOG.md for people and CHANGELOG.json for `platform rollout`. */
export interface ChangelogEntry {
  template: string;
  version: string;
  /** The version it follows; null for the first release. */
  previous: string | null;
  date: string;
  /** What the platform team says changes, in its own words (`publish --notes FILE`): one item a line. */
  notes?: string[];
  migrations: string[];
  examples: ExampleChanges[];
}

/**
 * Compare what two versions render for one example, as an upgrade sees it: the record always changes and
 * a seeded file that was already there is the team's, never touched, so neither is listed.
 */
export function exampleChanges(example: string, before: RenderedFile[], after: RenderedFile[]): ExampleChanges {
  const old = new Map(before.filter((file) => file.path !== RECORD_FILE).map((file) => [file.path, file.content]));
  for (const file of before) if (file.mode === 'seeded') old.delete(file.path);
  const seededBefore = new Set(before.filter((file) => file.mode === 'seeded').map((file) => file.path));
  const changes: ExampleChanges = { example, added: [], removed: [], changed: [] };
  for (const file of after) {
    if (file.path === RECORD_FILE) continue;
    if (seededBefore.has(file.path)) continue;
    const previous = old.get(file.path);
    old.delete(file.path);
    if (previous === undefined) changes.added.push({ path: file.path, lines: countLines(file.content) });
    else if (previous !== file.content) changes.changed.push({ path: file.path, ...lineCounts(previous, file.content) });
  }
  for (const [path, content] of old) changes.removed.push({ path, lines: countLines(content) });
  changes.removed.sort((a, b) => (a.path < b.path ? -1 : 1));
  return changes;
}

export function formatEntry(entry: ChangelogEntry): string {
  const lines = [`## ${entry.template} ${entry.version} (${entry.date})`, ''];
  if (entry.notes?.length) lines.push(...entry.notes.map((note) => `- ${note}`), '');
  lines.push(entry.previous ? `What changes in a repository generated at ${entry.previous}, per example:` : 'The first release of this template.');
  lines.push('');
  if (entry.migrations.length) {
    lines.push('Migrations of platform.yaml, applied by `platform upgrade`:', '', ...entry.migrations.map((migration) => `- ${migration}`), '');
  }
  if (!entry.previous) return `${lines.join('\n')}\n`;
  for (const example of entry.examples) {
    lines.push(`### ${example.example}${example.new ? ' (a new example)' : ''}`, '');
    const rows = [
      ...example.added.map((file) => `- added \`${file.path}\` (+${file.lines})`),
      ...example.changed.map((file) => `- changed \`${file.path}\` (+${file.added} -${file.removed})`),
      ...example.removed.map((file) => `- removed \`${file.path}\` (-${file.lines})`),
    ];
    lines.push(...(rows.length ? rows : ['- no change']), '');
  }
  return `${lines.join('\n')}\n`;
}

const TITLE = '# Changelog\n\nWhat each template version changes in the repositories generated from it (written by `platform publish`).\n\n';

/** CHANGELOG.md with the new entry first, under the title. */
export function prependEntry(existing: string | undefined, entry: ChangelogEntry): string {
  const rest = existing?.startsWith(TITLE) ? existing.slice(TITLE.length) : (existing ?? '');
  return `${TITLE}${formatEntry(entry)}${rest ? `\n${rest}` : ''}`;
}

/** CHANGELOG.json: every entry, newest first. */
export function prependJsonEntry(existing: string | undefined, entry: ChangelogEntry, file: string): string {
  const entries = existing === undefined ? [] : parseJsonChangelog(existing, file);
  return `${JSON.stringify({ entries: [entry, ...entries] }, null, 2)}\n`;
}

/** The entries of a CHANGELOG.json, newest first. */
export function parseJsonChangelog(text: string, file: string): ChangelogEntry[] {
  try {
    const entries = (JSON.parse(text) as { entries?: unknown } | null)?.entries;
    if (!Array.isArray(entries)) throw new Error('no "entries" list');
    return entries as ChangelogEntry[];
  } catch (error) {
    throw new UserError(`is not a changelog written by platform publish: ${(error as Error).message}`, file);
  }
}

/** Version -> release day (YYYY-MM-DD) of a CHANGELOG.json; entries without a well-formed date are left out. */
export function releaseDatesOf(text: string, file: string): Record<string, string> {
  const dates: Record<string, string> = {};
  for (const entry of parseJsonChangelog(text, file)) {
    if (typeof entry?.version === 'string' && typeof entry.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.date)) dates[entry.version] ??= entry.date;
  }
  return dates;
}

function countLines(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function lineCounts(before: string, after: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}

/**
 * Release notes from a markdown file: each list item (`-`, `*` or `1.`), with its continuation lines
 * joined, is one note; a heading or a blank line ends an item. Anything but list items is refused, so a
 * note never goes missing from the changelog unnoticed.
 */
export function parseNotes(text: string, file: string): string[] {
  const notes: string[] = [];
  let open = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const item = /^(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      notes.push(item[1]!);
      open = true;
    } else if (line === '' || line.startsWith('#')) {
      open = false;
    } else if (open) {
      notes[notes.length - 1] += ` ${line}`;
    } else {
      throw new UserError('is not a list of notes: write each note as a `- ` list item', file, index + 1);
    }
  });
  if (!notes.length) throw new UserError('holds no notes: write each as a `- ` list item', file);
  return notes;
}
