import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { CHANGES_1_1_0, CHANGES_2_0_0, commitAll, editTemplates, generateFrom, git, publishVersion, snapshotTree, templateRepo, asGlobex, type TemplateRepo } from './helpers/template-repo.js';

/**
 * `platform upgrade` and `platform check` on real git: repositories generated at 1.0.0, 1.1.0 and 2.0.0
 * of an organization's source, with team edits in managed, merged and seeded files. Each file's content
 * after the upgrade is compared with a repository generated fresh at 2.0.0 from the same answers.
 */
const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const write = (dir: string, path: string, text: string): void => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const record = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-platform'];

let source: TemplateRepo;
let work: string;

function generate(name: string, version: string, extra: string[] = ['--description', 'A service']): string {
  return generateFrom(source.url, join(work, name), version, ['--name', 'svc', '--owner', 'team-a', '--runtime', 'node', '--environments', 'dev,prod', ...extra]);
}

beforeAll(() => {
  process.env.XDG_CACHE_HOME = tempDir('platform-cache-');
  work = tempDir('platform-upgrade-');
  source = templateRepo(asGlobex);
  publishVersion(source.work, '1.0.0');
  generate('at-1.0.0', '1.0.0');
  editTemplates(source.work, CHANGES_1_1_0);
  publishVersion(source.work, '1.1.0');
  generate('at-1.1.0', '1.1.0');
  editTemplates(source.work, CHANGES_2_0_0);
  publishVersion(source.work, '2.0.0');
  generate('fresh', '2.0.0');
}, 180_000);

describe('platform upgrade across versions', () => {
  it('upgrades 1.0.0 to 2.0.0 keeping every team edit, and marks the conflicts', () => {
    const repo = join(work, 'at-1.0.0');
    const fresh = join(work, 'fresh');
    const service = read(repo, 'deploy/base/service.yaml');
    write(repo, 'deploy/base/service.yaml', `${service}# ours: a managed edit\n`);
    write(repo, 'Dockerfile', read(repo, 'Dockerfile').replace('CMD ["node", "src/main.js"]', 'CMD ["node", "--max-old-space-size=512", "src/main.js"]'));
    write(repo, 'README.md', `${read(repo, 'README.md')}\n## Our notes\n\nOurs.\n`);
    write(repo, 'src/app.js', '// Our own app\n');
    rmSync(join(repo, 'test/shutdown.test.js'));
    write(repo, 'docs/runbook.md', 'Our runbook\n');
    write(repo, '.github/pull_request_template.md', 'Our template\n');
    write(repo, 'platform.yaml', read(repo, 'platform.yaml').replace('  description: A service\n', '').replace('kind: Service\n', 'kind: Service\n# a comment of ours\n'));
    commitAll(repo, 'Team edits');

    const dry = platform(['upgrade', repo, '--dry-run']);
    const before = snapshotTree(repo);
    expect(dry.stdout).toContain('--- a/deploy/base/service.yaml\n+++ b/deploy/base/service.yaml\n');
    expect(dry.stdout).toMatch(/^\+    app\.kubernetes\.io\/part-of: /m);
    expect(dry.stdout).toMatch(/^--- a\/\.dockerignore\n\+\+\+ \/dev\/null$/m);
    expect(dry.stdout).toMatch(/dry run: nothing was written\n$/);
    expect(snapshotTree(repo)).toEqual(before);

    const run = platform(['upgrade', repo]);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([`template service 1.0.0 -> 2.0.0, from ${source.url}`, 'migrated  set metadata.description to "A service on the golden path" where it is missing']);
    expect(run.stdout).toContain('conflict  .github/pull_request_template.md\n');
    expect(run.stdout).toContain('conflict  Dockerfile\n');
    expect(run.stdout).toContain('merged    deploy/base/service.yaml\n');
    expect(run.stdout).toContain('removed   .dockerignore\n');
    expect(run.stdout).toContain('kept      docs/runbook.md\n');
    expect(run.stderr).toContain('platform: warning: deploy/base/service.yaml: managed file was edited in the repository: merged, not replaced');
    expect(run.stderr).toContain('platform: conflicts to resolve (marked in the files, then remove the markers):\n  .github/pull_request_template.md\n  Dockerfile\n');

    // Managed, edited: the new template's content plus the team's line.
    expect(read(repo, 'deploy/base/service.yaml')).toBe(`${read(fresh, 'deploy/base/service.yaml')}# ours: a managed edit\n`);
    // Merged, both changed one line: diff3 markers that say which version is which.
    expect(read(repo, 'Dockerfile')).toContain([
      '<<<<<<< Dockerfile (your repository)',
      'CMD ["node", "--max-old-space-size=512", "src/main.js"]',
      '||||||| Dockerfile (template 1.0.0)',
      'CMD ["node", "src/main.js"]',
      '=======',
      'CMD ["node", "--enable-source-maps", "src/main.js"]',
      '>>>>>>> Dockerfile (template 2.0.0)',
    ].join('\n'));
    // Seeded: never touched; deleted stays deleted; a team file where the template adds one is kept.
    expect(read(repo, 'src/app.js')).toBe('// Our own app\n');
    expect(() => read(repo, 'test/shutdown.test.js')).toThrow();
    expect(read(repo, 'docs/runbook.md')).toBe('Our runbook\n');
    // Merged, the team added a section: the README follows the new version and keeps it.
    expect(read(repo, 'README.md')).toContain('with template `service` 2.0.0.\n');
    expect(read(repo, 'README.md')).toMatch(/\n## Our notes\n\nOurs\.\n$/);
    // A new managed file landing on a team file: both kept, marked.
    expect(read(repo, '.github/pull_request_template.md')).toMatch(/^<<<<<<< [^]*Our template\n[^]*## What changes\n[^]*>>>>>>> /);
    // Untouched files are exactly what 2.0.0 renders; a file 2.0.0 dropped is gone.
    expect(read(repo, 'deploy/base/deployment.yaml')).toBe(read(fresh, 'deploy/base/deployment.yaml'));
    expect(() => read(repo, '.dockerignore')).toThrow();
    // platform.yaml: migrated and moved to 2.0.0, the team's comment kept.
    const manifest = read(repo, 'platform.yaml');
    expect(manifest).toContain('# a comment of ours\n');
    expect(manifest).toContain('description: A service on the golden path');
    expect(manifest).toMatch(/version: 2\.0\.0/);
    expect(record(repo).template.version).toBe('2.0.0');
    expect(record(repo).source.commit).toBe(git(source.work, 'rev-parse', 'v2.0.0^{commit}').trim());
    expect(record(repo).answers.metadata.description).toBe('A service on the golden path');

    const check = platform(['check', repo, '--format', 'json']);
    expect(check.status).toBe(1);
    const conditions = JSON.parse(check.stdout).findings.map((finding: { condition: string; path?: string }) => `${finding.condition} ${finding.path ?? ''}`.trim());
    expect(conditions).toEqual(expect.arrayContaining(['drifted deploy/base/service.yaml', 'conflicts Dockerfile', 'conflicts .github/pull_request_template.md']));
    expect(conditions).not.toContain('outdated');
  });

  it('upgrades 1.1.0 to 2.0.0 cleanly and commits once, naming both versions', () => {
    const repo = join(work, 'at-1.1.0');
    write(repo, 'Dockerfile', `# ours: at the top\n${read(repo, 'Dockerfile')}`);
    commitAll(repo, 'Team edit');
    write(repo, 'notes.txt', 'uncommitted\n');
    const refused = platform(['upgrade', repo, '--commit']);
    expect(refused).toMatchObject({ status: 2, stderr: `platform: ${repo}: has uncommitted changes (notes.txt): commit or stash them, or pass --allow-dirty\n` });
    rmSync(join(repo, 'notes.txt'));

    const run = platform(['upgrade', repo, '--commit']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('merged    Dockerfile\n');
    expect(read(repo, 'Dockerfile')).toContain('CMD ["node", "--enable-source-maps", "src/main.js"]\n');
    expect(read(repo, 'Dockerfile')).toMatch(/^# ours: at the top\n/);
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Upgrade template service from 1.1.0 to 2.0.0\n');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(platform(['check', repo])).toMatchObject({ status: 0 });
    expect(platform(['upgrade', repo])).toMatchObject({ status: 0, stdout: expect.stringContaining('already up to date\n') });
  });

  it('check names each condition, and --ignore leaves one out', () => {
    const outdated = generate('outdated', '1.1.0');
    const check = platform(['check', outdated]);
    expect(check.status).toBe(1);
    expect(check.stdout).toBe(`template service@1.1.0, latest is 2.0.0, from ${source.url}\noutdated         template service@1.1.0, latest is 2.0.0: run \`platform upgrade\`\n`);
    expect(platform(['check', outdated, '--ignore', 'outdated'])).toMatchObject({ status: 0 });

    const current = join(work, 'fresh');
    expect(platform(['check', current])).toMatchObject({ status: 0, stdout: expect.stringContaining('(latest)') });
    write(current, 'platform.yaml', read(current, 'platform.yaml').replace('owner: team-a', 'owner: team-b'));
    write(current, '.github/CODEOWNERS', `${read(current, '.github/CODEOWNERS')}* @someone\n`);
    const edited = JSON.parse(platform(['check', current, '--format', 'json']).stdout);
    expect(edited.ok).toBe(false);
    expect(edited.findings.map((finding: { condition: string }) => finding.condition)).toEqual(['manifest-edited', 'drifted']);
    expect(platform(['check', current, '--ignore', 'manifest-edited,drifted'])).toMatchObject({ status: 0 });
    expect(platform(['check', current, '--ignore', 'nonsense'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--ignore nonsense: not a condition') });
  });
});
