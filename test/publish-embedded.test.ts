/**
 * `platform publish templates` in a checkout of this package releases the embedded templates: the same
 * checks as for a template source repository (every example renders and validates clean), then the
 * changelog in templates/, the version in template.yaml and the snapshot releases/vX.Y.Z.json, committed
 * together; no tag, since the package's own version is what npm publishes.
 */
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { beforeAll, describe, expect, it } from 'vitest';
import { releasedVersions } from '../src/source/embedded.js';
import { platform, type CliRun } from './helpers/cli.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { commitAll, git } from './helpers/template-repo.js';

let root: string;
let templates: string;
const newest = semver.rsort(releasedVersions(join(repoRoot, 'releases')))[0]!;
const next = semver.inc(newest, 'minor')!;
const dockerignore = (): string => join(templates, 'service', 'files', '.dockerignore');
const changelog = () => JSON.parse(readFileSync(join(templates, 'CHANGELOG.json'), 'utf8')) as { entries: Array<{ version: string; previous: string | null; notes?: string[]; examples: Array<{ example: string; changed: Array<{ path: string; added: number; removed: number }> }> }> };

/** A checkout of the package: its templates, releases and the snapshot script, committed. */
beforeAll(() => {
  root = tempDir('platform-package-');
  for (const folder of ['templates', 'releases', 'scripts']) cpSync(join(repoRoot, folder), join(root, folder), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, '.gitignore'), 'node_modules\n');
  templates = join(root, 'templates');
  git(root, 'init', '-q', '-b', 'main');
  commitAll(root, 'The package as released');
  writeFileSync(dockerignore(), `${readFileSync(dockerignore(), 'utf8')}*.local\n`);
  commitAll(root, 'Keep local files out of images');
});

const ok = (run: CliRun): CliRun => {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run;
};

describe('platform publish on the embedded templates', () => {
  it('refuses a tree with uncommitted template changes, naming the file', () => {
    writeFileSync(join(templates, 'settings.yaml'), `${readFileSync(join(templates, 'settings.yaml'), 'utf8')}# uncommitted\n`);
    const run = platform(['publish', templates, '--version', next]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('has uncommitted changes (templates/settings.yaml)');
    git(root, 'checkout', '--', 'templates/settings.yaml');
  });

  it('a dry run prints the entry and writes nothing', () => {
    const run = ok(platform(['publish', templates, '--version', next, '--dry-run']));
    expect(run.stdout).toContain(`## service ${next}`);
    expect(run.stdout).toContain(`What changes in a repository generated at ${newest}`);
    expect(git(root, 'status', '--porcelain')).toBe('');
    expect(existsSync(join(root, 'releases', `v${next}.json`))).toBe(false);
  });

  it('releases the version: notes and file changes in the changelog, the version, the snapshot, one commit, no tag', () => {
    const notes = join(tempDir(), 'notes.md');
    writeFileSync(notes, '# Notes\n\n- Images leave out local files,\n  over two lines.\n- Nothing else.\n');
    const run = ok(platform(['publish', templates, '--version', next, '--notes', notes]));
    expect(run.stdout).toMatch(new RegExp(`published v${next} \\([0-9a-f]+\\)\\n$`));
    const [entry] = changelog().entries;
    expect(entry).toMatchObject({ version: next, previous: newest, notes: ['Images leave out local files, over two lines.', 'Nothing else.'] });
    // Every example repository sees the managed .dockerignore change; besides it only the workflows and the
    // README's one line, which name the version.
    expect(entry!.examples.length).toBeGreaterThan(5);
    for (const example of entry!.examples) {
      const paths = example.changed.map((file) => file.path);
      expect(paths).toContain('.dockerignore');
      expect(example.changed.find((file) => file.path === 'README.md')).toMatchObject({ added: 1, removed: 1 });
      expect(paths.filter((path) => path !== '.dockerignore' && path !== 'README.md' && !path.startsWith('.github/workflows/'))).toEqual([]);
    }
    expect(readFileSync(join(templates, 'CHANGELOG.md'), 'utf8')).toContain(`## service ${next}`);
    expect(readFileSync(join(templates, 'service', 'template.yaml'), 'utf8')).toContain(`version: ${next}\n`);
    // The snapshot is the folder as released, byte for byte.
    const snapshot = JSON.parse(readFileSync(join(root, 'releases', `v${next}.json`), 'utf8')) as { version: string; files: Record<string, string> };
    expect(snapshot.version).toBe(next);
    expect(snapshot.files['service/files/.dockerignore']).toBe(readFileSync(dockerignore(), 'utf8'));
    expect(snapshot.files['CHANGELOG.json']).toBe(readFileSync(join(templates, 'CHANGELOG.json'), 'utf8'));
    expect(git(root, 'log', '-1', '--format=%s')).toBe(`Publish templates v${next}\n`);
    expect(git(root, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean).sort()).toEqual(
      ['releases/v' + next + '.json', 'templates/CHANGELOG.json', 'templates/CHANGELOG.md', 'templates/service/template.yaml'].sort(),
    );
    expect(git(root, 'status', '--porcelain')).toBe('');
    expect(git(root, 'tag')).toBe('');
  });

  it('refuses to publish a version twice, or one older than a release, and writes nothing', () => {
    const head = git(root, 'rev-parse', 'HEAD');
    const again = platform(['publish', templates]);
    expect([again.status, again.stderr]).toEqual([2, `platform: pass --version: template.yaml says ${next}, already published (templates/CHANGELOG.json)\n`]);
    const published = platform(['publish', templates, '--version', newest]);
    expect([published.status, published.stderr]).toEqual([2, `platform: --version ${newest}: already published (templates/CHANGELOG.json)\n`]);
    const between = semver.inc(newest, 'patch')!;
    const older = platform(['publish', templates, '--version', between]);
    expect(older.status).toBe(2);
    expect(older.stderr).toContain(`--version ${between}: older than the released ${next}; released versions are immutable`);
    expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('refuses release notes that are not a list, naming the line', () => {
    const notes = join(tempDir(), 'notes.md');
    writeFileSync(notes, '- fine\n\nprose here\n');
    const run = platform(['publish', templates, '--version', semver.inc(next, 'minor')!, '--notes', notes]);
    expect([run.status, run.stderr]).toEqual([2, `platform: ${notes}:3: is not a list of notes: write each note as a \`- \` list item\n`]);
  });
});
