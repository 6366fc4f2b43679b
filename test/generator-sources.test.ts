import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';
import { helpers, quietTestAdapter } from './helpers/yeoman-test.js';
import { beforeAll, describe, expect, it } from 'vitest';
import PlatformGenerator from '../generators/app/index.js';
import SecretGenerator from '../generators/secret/index.js';
import { repoRoot, tempDir } from './helpers/repo.js';
import { asGlobex, CHANGES_1_1_0, editTemplates, git, publishVersion, templateRepo, type TemplateRepo } from './helpers/template-repo.js';

/**
 * `yo platform --source --template-version` and the sub-generators on an organization's git source
 * ("globex"): generated at an older version, recorded with its commit, and re-rendered from it later.
 */
const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-platform'];
const ANSWERS = { name: 'svc', owner: 'team-a', description: 'A service', runtime: 'node', environments: 'dev,prod' };

let source: TemplateRepo;
let commit: string;

beforeAll(() => {
  // The generators run in this process: their cache of git sources is this file's own.
  process.env.XDG_CACHE_HOME = tempDir('platform-cache-');
  source = templateRepo(asGlobex);
  publishVersion(source.work, '1.0.0');
  commit = git(source.work, 'rev-parse', 'v1.0.0^{commit}').trim();
  // 1.1.0 drops .dockerignore: a file that tells the two versions apart.
  editTemplates(source.work, CHANGES_1_1_0);
  publishVersion(source.work, '1.1.0');
}, 180_000);

/** `yo platform` at `version` of the globex source, with the template version given as `spelled`. */
async function generate(spelled: 'template-version' | 'templateVersion' | 'argument', version: string): Promise<string> {
  // A folder of our own: yeoman-test empties its temporary folder at the next run, and the sub-generator runs next.
  const context = helpers.run(PlatformGenerator, { namespace: 'platform:app' }).inDir(join(tempDir('platform-yo-'), 'svc'));
  const run = spelled === 'argument'
    ? context.withOptions({ ...ANSWERS, source: source.url }).withArguments(['--template-version', version])
    : context.withOptions({ ...ANSWERS, source: source.url, [spelled]: version });
  return (await run.withAnswers({}, { throwOnMissingAnswer: true })).cwd;
}

describe('yo platform from a git source', () => {
  it('generates the version --template-version names, and records the source, version and commit', async () => {
    for (const spelled of ['template-version', 'templateVersion', 'argument'] as const) {
      const dir = await generate(spelled, '1.0.0');
      expect(record(dir).source, spelled).toEqual({ spec: source.url, commit });
      expect(record(dir).template).toEqual({ name: 'service', version: '1.0.0' });
      expect(existsSync(join(dir, '.dockerignore'))).toBe(true);
      expect(read(dir, '.github/CODEOWNERS')).toContain('@globex/team-a');
      expect(read(dir, '.github/CODEOWNERS')).not.toContain('acme');
    }
  });

  it('takes --template-version as the yo command line gives it, camel-cased by Yeoman\'s command parser', async () => {
    // yeoman-test hands a generator every option in both spellings; the command line gives only one.
    const dir = join(tempDir('platform-yo-'), 'svc');
    mkdirSync(dir);
    const env = createEnv({ cwd: dir, adapter: quietTestAdapter() });
    env.register(PlatformGenerator, { namespace: 'platform:app', resolved: join(repoRoot, 'generators/app/index.ts') });
    const flags = Object.entries(ANSWERS).flatMap(([name, value]) => [`--${name}`, value]);
    // --skip-install: Yeoman would run npm install for the generated package.json.
    await env.execute('platform:app', [...flags, '--source', source.url, '--template-version', '1.0.0', '--skip-install']);
    expect(record(dir).template.version).toBe('1.0.0');
    expect(record(dir).source).toEqual({ spec: source.url, commit });
  });

  it('without --template-version, generates the newest', async () => {
    const dir = (await helpers.run(PlatformGenerator, { namespace: 'platform:app' }).withOptions({ ...ANSWERS, source: source.url })).cwd;
    expect(record(dir).template.version).toBe('1.1.0');
    expect(existsSync(join(dir, '.dockerignore'))).toBe(false);
  });

  it('refuses a version the source does not have, naming the ones it has', async () => {
    await expect(generate('template-version', '9.9.9')).rejects.toThrow(`template source ${source.url} has no version 9.9.9 (it has versions 1.0.0, 1.1.0)`);
  });
});

describe('yo platform:secret in a repository of the globex source', () => {
  it('re-renders from the recorded source and version, without --source and with it', async () => {
    for (const given of [undefined, source.url]) {
      const repo = await generate('template-version', '1.0.0');
      const options = given ? { source: given } : {};
      await helpers.run(SecretGenerator, { namespace: 'platform:secret' }).cd(repo).withOptions(options).withArguments(['api-token:API_TOKEN:svc/api']);
      const after = record(repo);
      expect(after.source).toEqual({ spec: source.url, commit });
      expect(after.template.version).toBe('1.0.0');
      expect(after.answers.spec.secrets).toEqual([{ name: 'api-token', env: 'API_TOKEN', path: 'svc/api' }]);
      expect(read(repo, 'deploy/base/deployment.yaml')).toContain('API_TOKEN');
      for (const path of ['deploy/argocd/dev.yaml', '.github/CODEOWNERS']) {
        expect(read(repo, path)).toContain('globex');
        expect(read(repo, path)).not.toContain('acme');
      }
      expect(existsSync(join(repo, '.dockerignore'))).toBe(true);
    }
  });
});
