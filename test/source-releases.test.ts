/**
 * The package carries every template version it released (releases/vX.Y.Z.json), so a repository made
 * from an older version can still be rendered from it. The snapshot of the current version must be the
 * folder, byte for byte: nobody changes templates/ without `npm run templates:snapshot`; and a released
 * version never changes again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { releasesDir, templatesDir } from '../src/core/paths.js';
import { loadTemplateSource, loadTemplateTree } from '../src/render/source.js';
import { memoryTree } from '../src/render/tree.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { readTree } from './helpers/trees.js';

interface Snapshot {
  version: string;
  files: Record<string, string>;
}

const script = join(repoRoot, 'scripts', 'snapshot-templates.js');
const snapshots = readdirSync(releasesDir).filter((file) => file.endsWith('.json'));
/** The version templates/ is at. */
const version = loadTemplateSource().template.version;
const read = (file: string): Snapshot => JSON.parse(readFileSync(join(releasesDir, file), 'utf8')) as Snapshot;

describe('the released snapshots', () => {
  it('hold the current folder byte for byte under its version', () => {
    expect(snapshots, `no releases/v${version}.json: run \`npm run templates:snapshot\``).toContain(`v${version}.json`);
    const snapshot = read(`v${version}.json`);
    const folder = readTree(templatesDir);
    expect(Object.keys(snapshot.files).sort(), 'templates/ and its snapshot list other files: run `npm run templates:snapshot`').toEqual(Object.keys(folder).sort());
    for (const [path, text] of Object.entries(snapshot.files)) {
      expect(Buffer.from(text, 'utf8').equals(readFileSync(join(templatesDir, path))), `${path} differs from its snapshot: run \`npm run templates:snapshot\``).toBe(true);
    }
  });

  it('each load as the version of their name', () => {
    expect(snapshots).toContain('v1.0.0.json');
    for (const file of snapshots) {
      const snapshot = read(file);
      const source = loadTemplateTree(memoryTree(snapshot.files, `releases/${file}`));
      expect(`v${source.template.version}.json`).toBe(file);
      expect(snapshot.version).toBe(source.template.version);
    }
  });

  it('are written with sorted keys and a trailing newline, so their diffs are stable', () => {
    for (const file of snapshots) {
      const snapshot = read(file);
      const sorted = { version: snapshot.version, files: Object.fromEntries(Object.keys(snapshot.files).sort().map((path) => [path, snapshot.files[path]])) };
      expect(readFileSync(join(releasesDir, file), 'utf8')).toBe(`${JSON.stringify(sorted, null, 2)}\n`);
    }
  });
});

describe('npm run templates:snapshot', () => {
  /** A copy of the package's templates and releases to run the script on. */
  function packageCopy(): string {
    const root = tempDir();
    cpSync(templatesDir, join(root, 'templates'), { recursive: true });
    cpSync(releasesDir, join(root, 'releases'), { recursive: true });
    return root;
  }
  const run = (root: string, ...args: string[]) => spawnSync(process.execPath, [script, root, ...args], { encoding: 'utf8' });
  const setVersion = (root: string, version: string): void => {
    const file = join(root, 'templates', 'service', 'template.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: .*$/m, `version: ${version}`));
  };
  const editReadme = (root: string, line: string): void => writeFileSync(join(root, 'templates', 'service', 'files', 'README.md'), `${line}\n`);

  it('rewrites the snapshot of the current version, and --check tells when it is stale', () => {
    const root = packageCopy();
    expect(run(root, '--check').status).toBe(0);
    editReadme(root, 'changed');
    const check = run(root, '--check');
    expect([check.status, check.stderr.trim()]).toEqual([1, `templates:snapshot: releases/v${version}.json differs from templates/: run \`npm run templates:snapshot\``]);
    expect(run(root).stdout).toBe(`rewrote releases/v${version}.json\n`);
    expect((JSON.parse(readFileSync(join(root, 'releases', `v${version}.json`), 'utf8')) as Snapshot).files['service/files/README.md']).toBe('changed\n');
  });

  it('writes a new version beside the old one and refuses to change a released version', () => {
    const root = packageCopy();
    const next = semver.inc(version, 'minor')!;
    const released = readFileSync(join(root, 'releases', `v${version}.json`), 'utf8');
    setVersion(root, next);
    editReadme(root, `new in ${next}`);
    expect(run(root).stdout).toBe(`wrote releases/v${next}.json\n`);
    setVersion(root, version);
    const refused = run(root);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`templates:snapshot: version ${version} is older than the released ${next}; released versions are immutable: give templates/service/template.yaml a new version\n`);
    expect(readFileSync(join(root, 'releases', `v${version}.json`), 'utf8')).toBe(released);
  });

  it('is the npm script of that name', () => {
    const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string>; files: string[] });
    expect(scripts.scripts['templates:snapshot']).toBe('node scripts/snapshot-templates.js');
    expect(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' })).toContain('"path": "releases/v1.0.0.json"');
  });
});
