import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { editTemplates, templateRepo, type TemplateRepo } from './helpers/template-repo.js';
import { generateAt, tagVersion } from './helpers/upgrade-source.js';
import { withMigrations } from './helpers/migrations.js';

/**
 * A migration belongs to the version that declares it. A repository that skips that version (1.0.0
 * straight to 3.0.0) must still get it, though 3.0.0's template.yaml no longer lists it.
 */
const version = (to: string) => (text: string) => text.replace(/^version: .*$/m, `version: ${to}`);
const MIGRATION = 'migrations:\n  - from: "<2.0.0"\n    drop: metadata.description\n';

let source: TemplateRepo;

beforeAll(() => {
  process.env.XDG_CACHE_HOME = tempDir('platform-cache-');
  source = templateRepo();
  // The package's templates are past 1.0.0: the tag says what template.yaml says, or the source is refused.
  editTemplates(source.work, { 'service/template.yaml': version('1.0.0') }, 'Release 1.0.0');
  tagVersion(source, '1.0.0');
  editTemplates(source.work, { 'service/template.yaml': (text) => withMigrations(version('2.0.0')(text), MIGRATION) }, 'Release 2.0.0');
  tagVersion(source, '2.0.0');
  editTemplates(source.work, { 'service/template.yaml': (text) => version('3.0.0')(text).replace(MIGRATION, '') }, 'Release 3.0.0');
  tagVersion(source, '3.0.0');
}, 120_000);

describe('migrations of the versions in between', () => {
  it('applies a migration only an intermediate version declares, once', () => {
    const dir = generateAt(tempDir(), source.url, '1.0.0');
    expect(readFileSync(join(dir, 'platform.yaml'), 'utf8')).toContain('description: A service');
    const run = platform(['upgrade', dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('template service 1.0.0 -> 3.0.0');
    expect(run.stdout.match(/^migrated  drop metadata\.description$/gm)).toHaveLength(1);
    expect(readFileSync(join(dir, 'platform.yaml'), 'utf8')).not.toContain('description:');
  });

  it('does not apply it to a repository already past the version that declares it', () => {
    const dir = generateAt(tempDir(), source.url, '2.0.0');
    const run = platform(['upgrade', dir]);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('migrated');
    expect(readFileSync(join(dir, 'platform.yaml'), 'utf8')).toContain('description: A service');
  });
});
