import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { releasesDir } from '../src/core/paths.js';
import { loadTemplateSource } from '../src/render/source.js';
import { platform } from './helpers/cli.js';
import { generateTemp } from './helpers/repo.js';

/** The version the package ships, and every version it has released (releases/vX.Y.Z.json), oldest first. */
const shipped = loadTemplateSource().template.version;
const released = readdirSync(releasesDir).map((name) => /^v(.+)\.json$/.exec(name)?.[1]).filter((version) => version !== undefined).sort(semver.compare);

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

describe('platform check and platform upgrade', () => {
  it('check lists drifted and missing managed files and exits 1; upgrade restores them and keeps merged edits', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    expect(platform(['check', repo])).toMatchObject({ status: 0, stdout: `template service@${shipped} (latest), from embedded\nup to date: no drift, no edit since the last render, no conflict left\n` });

    const service = read(repo, 'deploy/base/service.yaml');
    writeFileSync(join(repo, 'deploy/base/service.yaml'), `${service}# hand edit\n`);
    rmSync(join(repo, '.github/CODEOWNERS'));
    const overlay = 'deploy/overlays/dev/kustomization.yaml';
    writeFileSync(join(repo, overlay), `${read(repo, overlay)}# ours\n`);
    writeFileSync(join(repo, 'README.md'), 'ours\n');
    const check = platform(['check', repo]);
    expect(check.status).toBe(1);
    expect(check.stdout).toBe([
      `template service@${shipped} (latest), from embedded`,
      'drifted          managed file .github/CODEOWNERS is missing: run `platform upgrade` to restore it',
      `drifted          managed file deploy/base/service.yaml differs from what template ${shipped} rendered: move the change into platform.yaml, or delete the file and run \`platform upgrade\` to restore it`,
      '',
    ].join('\n'));

    const upgrade = platform(['upgrade', repo]);
    expect(upgrade.stderr).toBe('platform: warning: .github/CODEOWNERS: managed file was missing: restored\n');
    expect(upgrade.status).toBe(0);
    // An edit is never overwritten, not even of a managed file: it stays drift until the team moves it.
    expect(read(repo, 'deploy/base/service.yaml')).toBe(`${service}# hand edit\n`);
    expect(read(repo, '.github/CODEOWNERS')).toContain('@acme/team-payments');
    expect(read(repo, overlay)).toMatch(/# ours\n$/);
    expect(read(repo, 'README.md')).toBe('ours\n');
    expect(platform(['check', repo])).toMatchObject({ status: 1, stdout: expect.stringContaining('drifted          managed file deploy/base/service.yaml differs') });
    // Deleting the file is how a team gives it back to the platform.
    rmSync(join(repo, 'deploy/base/service.yaml'));
    expect(platform(['upgrade', repo]).status).toBe(0);
    expect(read(repo, 'deploy/base/service.yaml')).toBe(service);
    expect(platform(['check', repo]).status).toBe(0);
  });

  it('upgrade re-renders what a hand edit of platform.yaml changes', () => {
    const repo = generateTemp({ name: 'svc', owner: 'team-a', environments: ['dev'] });
    writeFileSync(join(repo, 'platform.yaml'), read(repo, 'platform.yaml').replace('owner: team-a', 'owner: team-b'));
    const upgrade = platform(['upgrade', repo]);
    expect(upgrade.status).toBe(0);
    expect(upgrade.stdout).toContain('updated   .github/CODEOWNERS\n');
    expect(read(repo, '.github/CODEOWNERS')).toContain('@acme/team-b');
    expect(JSON.parse(read(repo, '.yo-rc.json'))['generator-platform'].answers.metadata.owner).toBe('team-b');
  });

  it('refuses a repository recorded on a version its source does not have, naming the versions it has', () => {
    const repo = generateTemp({ name: 'svc', environments: ['dev'] });
    writeFileSync(join(repo, '.yo-rc.json'), read(repo, '.yo-rc.json').replace(`"version": "${shipped}"`, '"version": "0.9.0"'));
    const upgrade = platform(['upgrade', repo]);
    expect(upgrade.status).toBe(2);
    expect(upgrade.stderr).toBe(`platform: template source embedded has no version 0.9.0 (it has versions ${released.join(', ')})\n`);
    expect(platform(['check', repo])).toMatchObject({ status: 1, stdout: expect.stringContaining(`template service@0.9.0, latest is ${shipped}, from embedded\n`) });
    // A mistyped version is said first, whatever else is wrong with the repository.
    expect(platform(['upgrade', repo, '--to', 'v1.0.0'])).toMatchObject({ status: 2, stderr: 'platform: --to v1.0.0: not a version such as 1.2.0\n' });
  });
});
