/**
 * Managed files belong to the platform team: an edit in the repository is lost at the next upgrade, and
 * until then the repository runs something the platform never reviewed. The generation record
 * (.yo-rc.json) holds the answers and the template version; when that version is the one this package
 * ships, the files are rendered again and compared, and the finding points at the first line that
 * differs. For another version only the recorded content hashes can be compared.
 */
import { manifestProblems } from '../../manifest/rules.js';
import type { Manifest } from '../../manifest/types.js';
import { RECORD_FILE, RECORD_KEY, render, sha256, type GenerationRecord } from '../../render/render.js';
import { loadTemplateSource, type TemplateSource } from '../../render/source.js';
import type { Range, RepositoryFile } from '../../validate/types.js';
import { isPlainObject } from '../select.js';
import type { CheckContext } from '../context.js';
import { manifestDoc } from './manifest-doc.js';
import type { BuiltinCheck } from './registry.js';
import { fileHead, lineRange } from './text.js';

let shipped: TemplateSource | undefined;

/** The templates of this package, read once per process and only when a repository has a record. */
function shippedSource(): TemplateSource {
  shipped ??= loadTemplateSource();
  return shipped;
}

export const managedFileDrift: BuiltinCheck = {
  name: 'managed-file-drift',
  scope: 'fixed',
  description: 'Compares each file the generation record (.yo-rc.json) lists as managed with what its template version rendered: re-rendered from the recorded answers when that version ships with this package, by recorded sha256 otherwise.',
  run(context) {
    const manifest = manifestDoc(context.model);
    if (!manifest) return;
    const recordFile = context.model.file(RECORD_FILE);
    if (!recordFile) {
      context.reportAt(manifest.file.path, manifest.doc, ['spec', 'template'], `no generation record (${RECORD_FILE}): managed files cannot be checked; run \`platform upgrade\` to restore it`);
      return;
    }
    context.tick(recordFile.path);
    const record = readRecord(recordFile);
    if (!record) {
      context.report(recordFile.path, fileHead(recordFile), `${RECORD_FILE} has no "${RECORD_KEY}" record with template, answers and files`);
      return;
    }
    const managed = Object.entries(record.files).filter(([, entry]) => isPlainObject(entry) && entry.mode === 'managed');
    // Rendering costs more than the rest of a validation: do it only when a hash says something changed,
    // to find where. A file with its recorded hash is, byte for byte, what its template version rendered.
    let rendered: Map<string, string> | undefined | null = null;
    const renderedOnce = (): Map<string, string> | undefined => (rendered === null ? (rendered = renderRecorded(record)) : rendered);
    const label = `${record.template.name}@${record.template.version}`;
    for (const [path, entry] of managed) {
      context.tick(path);
      const file = context.model.file(path);
      if (!file) {
        const range = recordFile.documents[0]?.locateKey?.([RECORD_KEY, 'files', path]) ?? fileHead(recordFile);
        context.report(recordFile.path, range, `managed file ${path} is missing: run \`platform upgrade\` to restore it`);
        continue;
      }
      if (sha256(file.text) === entry.sha256) continue;
      const rendering = renderedOnce();
      if (rendering) {
        const expected = rendering.get(path);
        if (expected !== undefined && expected !== file.text) reportFirstDifference(context, file, expected, label);
        else if (expected === undefined) reportChanged(context, file, label);
      } else {
        reportChanged(context, file, label);
      }
    }
  },
};

function readRecord(file: RepositoryFile): GenerationRecord | undefined {
  let value = file.documents[0]?.value;
  if (value === undefined) {
    try {
      value = JSON.parse(file.text);
    } catch {
      return undefined;
    }
  }
  const record = isPlainObject(value) ? value[RECORD_KEY] : undefined;
  if (!isPlainObject(record) || !isPlainObject(record.template) || !isPlainObject(record.files) || !isPlainObject(record.answers)) return undefined;
  return record as unknown as GenerationRecord;
}

/** Managed contents rendered from the recorded answers, when the recorded version is the shipped one. */
function renderRecorded(record: GenerationRecord): Map<string, string> | undefined {
  // Another organization's templates, or another version, would point at the wrong line: hashes only.
  if (record.source !== undefined && record.source.spec !== 'embedded') return undefined;
  const source = shippedSource();
  if (record.template.name !== source.template.name || record.template.version !== source.template.version) return undefined;
  const answers = record.answers as Manifest;
  if (manifestProblems(answers, source.settings).length > 0) return undefined;
  const files = new Map<string, string>();
  try {
    for (const file of render(answers, source).files) if (file.mode === 'managed') files.set(file.path, file.content);
  } catch {
    // Answers this version cannot render: fall back to the recorded hashes.
    return undefined;
  }
  return files;
}

function reportChanged(context: CheckContext, file: RepositoryFile, label: string): void {
  context.report(file.path, lineRange(file, 1), `managed file differs from what template ${label} generated (its sha256 changed): the platform owns it; delete it and run \`platform upgrade\` to restore it, and change it through platform.yaml where its answers allow`);
}

function reportFirstDifference(context: CheckContext, file: RepositoryFile, expected: string, label: string): void {
  const actualLines = file.text.split('\n');
  const expectedLines = expected.split('\n');
  let line = 0;
  while (line < actualLines.length && actualLines[line] === expectedLines[line]) line += 1;
  const actual = actualLines[line];
  // The text after the rendering's final newline is the empty last "line": anything there was added.
  const renderingEnded = line >= expectedLines.length - 1 && (expectedLines[line] ?? '') === '';
  let detail: string;
  let range: Range;
  if (actual === undefined) {
    range = lineRange(file, actualLines.length);
    detail = renderingEnded ? 'the final newline is missing' : `the file ends before ${JSON.stringify(truncate(expectedLines[line] ?? ''))}`;
  } else {
    const wanted = expectedLines[line] ?? '';
    let column = 0;
    while (column < actual.length && actual[column] === wanted[column]) column += 1;
    range = { line: line + 1, column: column + 1, endLine: line + 1, endColumn: Math.max(actual.length, column) + 1 };
    detail = renderingEnded ? 'lines were added here' : `expected ${JSON.stringify(truncate(wanted))}`;
  }
  context.report(file.path, range, `managed file differs from what template ${label} renders (${detail}): the platform owns it; delete it and run \`platform upgrade\` to restore it, and change it through platform.yaml where its answers allow`);
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
