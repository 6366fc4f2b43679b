/**
 * The per-user cache of git sources: what was fetched once keeps working when the remote is gone (and,
 * for a recorded commit, without git at all); what was never fetched is a clear error naming the source;
 * two runs at once both succeed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../src/source/index.js';
import { bareRemote, readmeLine, runNode, templateRepo } from './helpers/git-sources.js';
import { tempDir } from './helpers/repo.js';

const scratch = tempDir('source-cache-test-');
const cache = join(scratch, 'cache');
process.env.XDG_CACHE_HOME = cache;

let url: string;
let commits: Map<string, string>;
beforeAll(() => {
  commits = templateRepo(join(scratch, 'work'), [{ version: '1.0.0' }, { version: '1.1.0' }]);
  url = bareRemote(join(scratch, 'work'), join(scratch, 'remote.git'));
});

describe('a git source whose remote is gone', () => {
  it('still loads a version it fetched before, with or without its commit', async () => {
    const first = await (await openSource(url)).load('1.1.0');
    renameSync(join(scratch, 'remote.git'), join(scratch, 'gone.git'));
    try {
      const again = await openSource(url);
      const loaded = await again.load('1.1.0', { commit: first.origin.commit });
      expect([loaded.template.version, loaded.origin]).toEqual(['1.1.0', { spec: url, commit: commits.get('v1.1.0') }]);
      // Not checked out before, but the mirror has it: offline work goes on, silently.
      expect((await again.load('1.0.0')).template.version).toBe('1.0.0');
      expect(await (await openSource(url)).versions()).toEqual(['1.0.0', '1.1.0']);
    } finally {
      renameSync(join(scratch, 'gone.git'), join(scratch, 'remote.git'));
    }
  });

  it('runs no git at all for a recorded commit already checked out', async () => {
    await (await openSource(url)).load('1.0.0');
    const withoutGit = { XDG_CACHE_HOME: cache, PATH: join(scratch, 'no-bin') };
    const cached = await runNode(`const s = await openSource(${JSON.stringify(url)}); const l = await s.load('1.0.0', { commit: ${JSON.stringify(commits.get('v1.0.0'))} }); console.log(l.template.version, l.files.find((f) => f.path === 'README.md').text.trim());`, withoutGit);
    expect([cached.code, cached.stdout.trim(), cached.stderr]).toEqual([0, `1.0.0 ${readmeLine('1.0.0')}`, '']);
  });

  it('says git is needed when it must fetch and git is missing', async () => {
    const run = await runNode(`try { await (await openSource(${JSON.stringify(url)})).load('1.0.0'); } catch (e) { console.log(e.name, e.message); }`, { XDG_CACHE_HOME: join(scratch, 'empty-cache'), PATH: join(scratch, 'no-bin') });
    expect(run.stdout.trim()).toBe(`UserError git is needed to use the template source ${url}: install git and make sure it is on PATH`);
  });
});

describe('a git source never fetched and unreachable', () => {
  it('is an error naming the source and what git said, never the embedded templates', async () => {
    process.env.XDG_CACHE_HOME = join(scratch, 'fresh-cache');
    try {
      const missing = `${url}-missing`;
      const source = await openSource(missing);
      await expect(source.load('1.0.0')).rejects.toThrow(`cannot reach template source ${missing}: '${join(scratch, 'remote.git-missing')}' does not appear to be a git repository`);
      await expect(source.versions()).rejects.toMatchObject({ name: 'UserError' });
    } finally {
      process.env.XDG_CACHE_HOME = cache;
    }
  });

  it('keeps credentials out of the message', async () => {
    process.env.XDG_CACHE_HOME = join(scratch, 'fresh-cache');
    try {
      const source = await openSource('https://deploy:s3cret-token@127.0.0.1:9/platform/templates.git');
      const error = await source.versions().then(() => undefined, (caught: Error) => caught);
      expect(error?.message).toMatch(/^cannot reach template source https:\/\/127\.0\.0\.1:9\/platform\/templates\.git: /);
      expect(error?.message).not.toContain('s3cret');
      expect(error?.message).not.toContain('deploy');
    } finally {
      process.env.XDG_CACHE_HOME = cache;
    }
  });
});

describe('a cache that cannot be written', () => {
  it('is a one-line error naming the cache folder', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    process.env.XDG_CACHE_HOME = file;
    try {
      await expect((await openSource(url)).versions()).rejects.toThrow(`cannot use the template source cache ${join(file, 'generator-platform', 'sources')}: not a folder`);
    } finally {
      process.env.XDG_CACHE_HOME = cache;
    }
  });
});

describe('two runs opening one source at once', () => {
  it('both succeed, in one process and in two, and leave one mirror and whole checkouts', async () => {
    const shared = join(scratch, 'shared-cache');
    const script = `const s = await openSource(${JSON.stringify(url)}); console.log((await s.load('1.1.0')).origin.commit);`;
    const runs = await Promise.all([runNode(script, { XDG_CACHE_HOME: shared, PATH: process.env.PATH }), runNode(script, { XDG_CACHE_HOME: shared, PATH: process.env.PATH })]);
    expect(runs.map((run) => [run.code, run.stdout.trim(), run.stderr])).toEqual([0, 0].map((code) => [code, commits.get('v1.1.0'), '']));
    process.env.XDG_CACHE_HOME = join(scratch, 'shared-in-process');
    try {
      const loaded = await Promise.all([openSource(url), openSource(url)].map(async (opened) => (await opened).load('1.0.0')));
      expect(loaded.map((source) => source.origin.commit)).toEqual([commits.get('v1.0.0'), commits.get('v1.0.0')]);
    } finally {
      process.env.XDG_CACHE_HOME = cache;
    }
    const sources = join(shared, 'generator-platform', 'sources');
    expect(readdirSync(join(sources, 'mirrors')).filter((name) => name.endsWith('.git'))).toHaveLength(1);
    expect(readdirSync(join(sources, 'checkouts'))).toEqual([commits.get('v1.1.0')]);
    expect(existsSync(join(sources, 'checkouts', commits.get('v1.1.0')!, 'service', 'template.yaml'))).toBe(true);
  });

  it('do not wait for the lock of a run that was killed', async () => {
    await (await openSource(url)).versions();
    const mirrors = join(cache, 'generator-platform', 'sources', 'mirrors');
    const mirror = readdirSync(mirrors).find((name) => name.endsWith('.git'))!;
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(mirrors, `${mirror}.lock`), `${dead} ${hostname()}\n`);
    const started = Date.now();
    expect(await (await openSource(url)).versions()).toEqual(['1.0.0', '1.1.0']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(join(mirrors, `${mirror}.lock`))).toBe(false);
  });
});
