/**
 * A template source read from a folder and from the same files held in memory (a released snapshot) must
 * render the same repository, and errors must still name the file, in words a reader can find.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesDir } from '../src/core/paths.js';
import { render } from '../src/render/render.js';
import { loadTemplateSource, loadTemplateTree } from '../src/render/source.js';
import { memoryTree } from '../src/render/tree.js';
import { manifestFor, tempDir } from './helpers/repo.js';
import { readTree } from './helpers/trees.js';
import { withMigrations } from './helpers/migrations.js';

const LABEL = 'releases/v1.0.0.json';

describe('a template source from memory', () => {
  it('renders exactly what the folder renders, for each runtime', () => {
    const fromFolder = loadTemplateSource();
    const fromMemory = loadTemplateTree(memoryTree(readTree(templatesDir), LABEL), 'service', fromFolder.origin);
    expect(fromMemory.template).toEqual(fromFolder.template);
    expect(fromMemory.versions).toEqual(fromFolder.versions);
    expect(fromMemory.files.map(({ path, text, runtime }) => ({ path, text, runtime }))).toEqual(fromFolder.files.map(({ path, text, runtime }) => ({ path, text, runtime })));
    for (const runtime of ['node', 'python']) {
      const manifest = manifestFor({ runtime, databases: [{ name: 'main', engine: 'postgres', version: '16', backups: true }] });
      expect(render(manifest, fromMemory)).toEqual(render(manifest, fromFolder));
    }
  });

  it('names the file of an error by the tree and path', () => {
    const files = readTree(templatesDir);
    files['settings.yaml'] = files['settings.yaml']!.replace('runtimes:', 'runtimes: [node]\nruntimes:');
    expect(() => loadTemplateTree(memoryTree(files, LABEL))).toThrow(expect.objectContaining({ file: `${LABEL}:settings.yaml` }));
    delete files['settings.yaml'];
    expect(() => loadTemplateTree(memoryTree(files, LABEL))).toThrow(expect.objectContaining({ file: `${LABEL}:settings.yaml`, message: 'no such file' }));
  });

  it('says which template is missing from which tree', () => {
    expect(() => loadTemplateTree(memoryTree(readTree(templatesDir), LABEL), 'worker')).toThrow(`no template "worker" in ${LABEL}`);
  });
});

describe('the origin and migrations of a source', () => {
  it('is the folder given unless the caller says otherwise; the package\'s own folder is the embedded source', () => {
    expect(loadTemplateSource().origin).toEqual({ spec: 'embedded', commit: null });
    const copy = join(tempDir('source-tree-origin-'), 'templates');
    cpSync(templatesDir, copy, { recursive: true });
    expect(loadTemplateSource(copy).origin).toEqual({ spec: copy, commit: null });
    const origin = { spec: 'https://git.example.com/t.git', commit: 'abc' };
    expect(loadTemplateSource(templatesDir, 'service', origin).origin).toEqual(origin);
  });

  it('carries the migrations of template.yaml as written, and refuses malformed ones naming the file', () => {
    const dir = tempDir();
    cpSync(templatesDir, dir, { recursive: true });
    const file = join(dir, 'service', 'template.yaml');
    writeFileSync(file, withMigrations(readTree(templatesDir)['service/template.yaml']!, 'migrations:\n  - { from: "<2.0.0", rename: { from: spec.a, to: spec.b } }\n'));
    expect(loadTemplateSource(dir).template.migrations).toEqual([{ from: '<2.0.0', rename: { from: 'spec.a', to: 'spec.b' } }]);
    writeFileSync(file, withMigrations(readTree(templatesDir)['service/template.yaml']!, 'migrations:\n  - { from: 1.0.0, rename: { spec.a: spec.b } }\n'));
    expect(() => loadTemplateSource(dir)).toThrow('migrations.0.rename: expected { from: PATH, to: PATH }');
    // A list item that lost its indentation lands in modes: named at its line, not a crash in the glob library.
    writeFileSync(file, `${withMigrations(readTree(templatesDir)['service/template.yaml']!, '')}  - from: "<3.0.0"\n    drop: spec.runtime\n`);
    expect(() => loadTemplateSource(dir)).toThrow(expect.objectContaining({ file, line: expect.any(Number), message: expect.stringMatching(/^modes\.\d+\.pattern: expected a glob/) }));
    // The embedded templates' own: 1.0.0 repositories keep the lifecycle their catalog entry said.
    expect(loadTemplateSource().template.migrations).toEqual([expect.objectContaining({ from: '<1.1.0', default: { path: 'metadata.lifecycle', value: 'production' } })]);
  });
});
