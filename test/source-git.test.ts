/**
 * Git repositories as template sources, with real repositories and a bare remote cloned by file:// URL:
 * the tags are the versions, each version loads its own files, and a tag that lies is refused.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../src/source/index.js';
import { bareRemote, git, readmeLine, templateRepo } from './helpers/git-sources.js';
import { tempDir } from './helpers/repo.js';

const scratch = tempDir('source-git-test-');
process.env.XDG_CACHE_HOME = join(scratch, 'cache');

const readme = (source: { files: Array<{ path: string; text: string }> }): string | undefined => source.files.find((file) => file.path === 'README.md')?.text;

describe('a git repository by URL', () => {
  let url: string;
  let commits: Map<string, string>;
  beforeAll(() => {
    const releases = ['1.0.0', '1.1.0', '1.9.0', '1.10.0', '2.0.0', '2.1.0-rc.1'].map((version) => ({ version }));
    commits = templateRepo(join(scratch, 'work'), [...releases, { version: '2.0.0', tag: 'v3.0.0' }]);
    // Tags that are not versions: a moving name, an incomplete version, a leading zero.
    for (const tag of ['latest', 'v1.2', 'v01.0.0', 'release-4.0.0']) git(join(scratch, 'work'), 'tag', tag, 'HEAD~1');
    url = bareRemote(join(scratch, 'work'), join(scratch, 'remote.git'));
  });

  it('has its vX.Y.Z tags as versions, in semver order, other tags ignored', async () => {
    const source = await openSource(url);
    expect(source.kind).toBe('git');
    expect(source.spec).toBe(url);
    expect(await source.versions()).toEqual(['1.0.0', '1.1.0', '1.9.0', '1.10.0', '2.0.0', '2.1.0-rc.1', '3.0.0']);
  });

  it('has as newest the highest release, not a pre-release', async () => {
    const source = await openSource(url);
    expect(await source.newest()).toBe('3.0.0');
  });

  it('loads each version with its own files, its commit as origin', async () => {
    const source = await openSource(url);
    for (const version of ['1.0.0', '1.9.0', '1.10.0', '2.0.0']) {
      const loaded = await source.load(version);
      expect(loaded.template.version).toBe(version);
      expect(readme(loaded)).toBe(`${readmeLine(version)}\n`);
      expect(loaded.origin).toEqual({ spec: url, commit: commits.get(`v${version}`) });
    }
  });

  it('refuses a tag whose template.yaml says another version, naming the tag and the file', async () => {
    const source = await openSource(url);
    await expect(source.load('3.0.0')).rejects.toThrow(expect.objectContaining({
      file: `${url}@v3.0.0:service/template.yaml`,
      message: 'says version 2.0.0, but it is tagged v3.0.0: a version tag must match its template.yaml',
    }));
    await expect(source.load()).rejects.toThrow('tagged v3.0.0');
  });

  it('says which versions it has when asked for another', async () => {
    const source = await openSource(url);
    await expect(source.load('1.2.0')).rejects.toThrow(`template source ${url} has no version 1.2.0 (it has versions 1.0.0, 1.1.0, 1.9.0, 1.10.0, 2.0.0, 2.1.0-rc.1, 3.0.0)`);
  });

  it('loads the recorded commit of a version even when its tag was moved since', async () => {
    const work = join(scratch, 'work');
    git(work, 'tag', '-f', '-a', '-m', 'moved', 'v1.1.0', commits.get('v1.0.0')!);
    const moved = bareRemote(work, join(scratch, 'moved.git'));
    const source = await openSource(moved);
    expect((await source.load('1.1.0', { commit: commits.get('v1.1.0') })).origin.commit).toBe(commits.get('v1.1.0'));
    await expect(source.load('1.1.0')).rejects.toThrow('says version 1.0.0, but it is tagged v1.1.0');
    git(work, 'tag', '-f', '-a', '-m', 'back', 'v1.1.0', commits.get('v1.1.0')!);
  });
});

describe('a git repository on disk', () => {
  it('is a git source when its root holds .git, with its tags as versions', async () => {
    const repo = join(scratch, 'local');
    templateRepo(repo, [{ version: '1.0.0' }, { version: '1.1.0' }]);
    const source = await openSource('local', { cwd: scratch });
    expect([source.kind, source.spec]).toEqual(['git', join(scratch, 'local')]);
    expect(await source.versions()).toEqual(['1.0.0', '1.1.0']);
    expect(readme(await source.load('1.0.0'))).toBe(`${readmeLine('1.0.0')}\n`);
  });

  it('reads a source below the root with #subdir, in the local repository and its remote', async () => {
    const repo = join(scratch, 'monorepo');
    const commits = templateRepo(repo, [{ version: '1.0.0' }, { version: '1.1.0' }], 'platform/templates');
    const url = bareRemote(repo, join(scratch, 'monorepo.git'));
    for (const spec of [`${url}#platform/templates`, `${repo}#platform/templates/`]) {
      const source = await openSource(spec);
      expect(await source.versions()).toEqual(['1.0.0', '1.1.0']);
      const loaded = await source.load('1.0.0');
      expect([readme(loaded), loaded.origin]).toEqual([`${readmeLine('1.0.0')}\n`, { spec, commit: commits.get('v1.0.0') }]);
    }
    const missing = await openSource(`${url}#elsewhere`);
    await expect(missing.load('1.0.0')).rejects.toThrow(`no template "service" in ${url}@v1.0.0:elsewhere`);
  });

  it('without version tags, says so and how to make one', async () => {
    const repo = join(scratch, 'untagged');
    templateRepo(repo, []);
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'start');
    git(repo, 'tag', 'latest');
    const source = await openSource(repo);
    await expect(source.versions()).rejects.toThrow(`template source ${repo} has no version tags (vX.Y.Z): release a version with \`platform publish\``);
  });
});
