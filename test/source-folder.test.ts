/**
 * The embedded source (this package's templates and their released history), plain folders, and how a
 * spec is read.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { releasesDir, templatesDir } from '../src/core/paths.js';
import { render } from '../src/render/render.js';
import { loadTemplateSource, loadTemplateTree } from '../src/render/source.js';
import { folderTree } from '../src/render/tree.js';
import { EMBEDDED, openSource } from '../src/source/index.js';
import { parseSpec, recordableSpec, redactCredentials } from '../src/source/spec.js';
import { git } from './helpers/git-sources.js';
import { manifestFor, tempDir } from './helpers/repo.js';

const scratch = tempDir('source-folder-test-');

describe('the embedded source', () => {
  it('is the default, with 1.0.0 among its versions, loaded as the package renders it', async () => {
    const source = await openSource(undefined);
    expect([source.spec, source.kind]).toEqual([EMBEDDED, 'embedded']);
    expect(await source.versions()).toContain('1.0.0');
    const loaded = await source.load('1.0.0');
    expect([loaded.template.version, loaded.origin]).toEqual(['1.0.0', { spec: 'embedded', commit: null }]);
    // A released version renders as its snapshot's files do when read from a folder; not as the current templates.
    const released = JSON.parse(readFileSync(join(releasesDir, 'v1.0.0.json'), 'utf8')) as { files: Record<string, string> };
    const folder = join(scratch, 'released-1.0.0');
    for (const [path, text] of Object.entries(released.files)) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), text);
    }
    expect(render(manifestFor(), loaded)).toEqual(render(manifestFor(), loadTemplateTree(folderTree(folder), 'service', { spec: 'embedded', commit: null })));
    expect(render(manifestFor(), loaded)).not.toEqual(render(manifestFor(), loadTemplateSource()));
    // The current version is the package's templates folder, rendered as the package renders it.
    const current = await source.load(loadTemplateSource().template.version);
    expect(render(manifestFor(), current)).toEqual(render(manifestFor(), loadTemplateSource()));
  });

  it('has the current folder as its newest version', async () => {
    const source = await openSource(EMBEDDED);
    expect(await source.newest()).toBe(loadTemplateSource().template.version);
    expect((await source.load()).template.version).toBe(loadTemplateSource().template.version);
  });

  it('says which versions it has when asked for another', async () => {
    const source = await openSource(EMBEDDED);
    const versions = (await source.versions()).join(', ');
    await expect(source.load('0.9.0')).rejects.toThrow(`template source embedded has no version 0.9.0 (it has versions ${versions})`);
  });
});

/** A copy of the templates at `version` in `dir`. */
function templatesAt(dir: string, version: string): string {
  cpSync(templatesDir, dir, { recursive: true });
  const file = join(dir, 'service', 'template.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: .*$/m, `version: ${version}`));
  return dir;
}

describe('a folder source', () => {
  it('has the one version its template.yaml says, and is recorded by its absolute path', async () => {
    templatesAt(join(scratch, 'team-templates'), '1.3.0');
    const source = await openSource('./team-templates', { cwd: scratch });
    expect([source.kind, await source.versions(), await source.newest()]).toEqual(['folder', ['1.3.0'], '1.3.0']);
    const loaded = await source.load('1.3.0');
    expect([loaded.template.version, loaded.origin]).toEqual(['1.3.0', { spec: join(scratch, 'team-templates'), commit: null }]);
    await expect(source.load('1.0.0')).rejects.toThrow('template source ./team-templates has no version 1.0.0 (it has versions 1.3.0)');
  });

  it('inside a git repository but not its root, is read as a folder', async () => {
    const repo = join(scratch, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    templatesAt(join(repo, 'templates'), '1.4.0');
    const source = await openSource(join(repo, 'templates'));
    expect([source.kind, await source.versions()]).toEqual(['folder', ['1.4.0']]);
  });

  it('is refused when it does not exist or declares no semver version', async () => {
    await expect(openSource('./nowhere', { cwd: scratch })).rejects.toThrow(`template source ./nowhere: no such folder (${join(scratch, 'nowhere')})`);
    const bad = templatesAt(join(scratch, 'bad-version'), '1.0');
    const source = await openSource(bad);
    await expect(source.versions()).rejects.toThrow(expect.objectContaining({ file: join(bad, 'service', 'template.yaml'), message: 'version "1.0" is not a semver version (X.Y.Z)' }));
  });
});

describe('a spec', () => {
  it('is a git URL by its scheme or scp-like form, with #subdir', () => {
    expect(parseSpec('https://git.example.com/platform/templates.git#service-templates', scratch)).toMatchObject({ kind: 'git', location: 'https://git.example.com/platform/templates.git', subdir: 'service-templates' });
    expect(parseSpec('git@github.com:acme/templates.git', scratch)).toMatchObject({ kind: 'git', location: 'git@github.com:acme/templates.git', subdir: '' });
    expect(parseSpec('ssh://git@host/templates.git', scratch).kind).toBe('git');
  });

  it('refuses a #subdir outside the repository', () => {
    expect(() => parseSpec('https://host/t.git#../x', scratch)).toThrow('template source https://host/t.git#../x: "#../x" must be a folder inside the repository');
  });

  it('loses its credentials in messages, keeping an ssh user', () => {
    expect(redactCredentials('https://user:pass@host/t.git')).toBe('https://host/t.git');
    expect(redactCredentials('fetching https://ghp_token@github.com/acme/t.git failed')).toBe('fetching https://github.com/acme/t.git failed');
    expect(redactCredentials('ssh://git@host/t.git')).toBe('ssh://git@host/t.git');
    expect(redactCredentials('ssh://git:secret@host/t.git')).toBe('ssh://host/t.git');
    expect(redactCredentials('https://user:p@ss@host/t.git and https://host/u.git')).toBe('https://host/t.git and https://host/u.git');
  });

  it('is recorded without credentials, and a local path absolute, #subdir kept', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'embedded'],
      ['embedded', 'embedded'],
      ['https://user:token@git.example.com/platform/templates.git', 'https://git.example.com/platform/templates.git'],
      ['https://ghp_token@git.example.com/t.git#service-templates', 'https://git.example.com/t.git#service-templates'],
      ['HTTP://user:token@host/t.git', 'HTTP://host/t.git'],
      ['ssh://git:secret@host/t.git', 'ssh://host/t.git'],
      ['ssh://git@host/t.git', 'ssh://git@host/t.git'],
      ['git@github.com:acme/templates.git', 'git@github.com:acme/templates.git'],
      ['file:///srv/templates.git', 'file:///srv/templates.git'],
      ['../team/templates', join(scratch, '..', 'team', 'templates')],
      ['./templates#service', `${join(scratch, 'templates')}#service`],
      ['/srv/templates', '/srv/templates'],
    ];
    for (const [given, recorded] of cases) expect(recordableSpec(given, scratch), given).toBe(recorded);
  });

  it('is named by an opened source as it is recorded: what add and upgrade --source write in the record', async () => {
    // Opening fetches nothing, so a URL nobody serves will do.
    expect((await openSource('https://user:token@git.example.com/t.git#service')).spec).toBe('https://git.example.com/t.git#service');
    templatesAt(join(scratch, 'named-relative'), '1.0.0');
    expect((await openSource('./named-relative', { cwd: scratch })).spec).toBe(join(scratch, 'named-relative'));
  });
});
