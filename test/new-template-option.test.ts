import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from './helpers/cli.js';
import { repoRoot, tempDir } from './helpers/repo.js';

/** A source with more than one template: `--template` picks one, and the record names it for later commands. */
describe('platform new --template', () => {
  it('generates from a template other than service, and later commands find it by the recorded name', () => {
    const source = join(tempDir('platform-templates-'), 'templates');
    cpSync(join(repoRoot, 'templates'), source, { recursive: true });
    cpSync(join(source, 'service'), join(source, 'worker'), { recursive: true });
    const definition = join(source, 'worker', 'template.yaml');
    writeFileSync(definition, readFileSync(definition, 'utf8').replace(/^name: service$/m, 'name: worker'));
    // The copy is of the package's current templates: the worker declares their version.
    const version = /^version: (\S+)$/m.exec(readFileSync(definition, 'utf8'))![1]!;
    const dir = join(tempDir(), 'jobs');
    const run = platform(['new', dir, '--source', source, '--template', 'worker', '--defaults']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`from template worker@${version}`);
    expect(JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-platform'].template).toEqual({ name: 'worker', version });
    expect(platform(['add', 'secret', 'key:KEY:jobs/key', '--dir', dir])).toMatchObject({ status: 0, stderr: '' });
    expect(platform(['check', dir])).toMatchObject({ status: 0, stdout: expect.stringContaining(`template worker@${version} (latest)`) });
    expect(platform(['new', join(tempDir(), 'x'), '--source', source, '--template', 'nope', '--defaults'])).toMatchObject({ status: 2, stderr: expect.stringContaining('no template "nope"') });
  });
});
