/**
 * What the organization settings and the template's data decide in a generated repository's `.github/`:
 * the promotion settings (a pull request or an App's push, Argo CD's health), CODEOWNERS from the ownership
 * modes, and the pinned actions against the current releases in the third-party list (actions.md).
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateRepository } from '../src/generate/new.js';
import { parseYaml } from '../src/core/yaml.js';
import { readManifest } from '../src/manifest/io.js';
import { checkSettings, type Settings } from '../src/settings/settings.js';
import type { TemplateSource } from '../src/render/source.js';
import { defaultSource, manifestFor, repoRoot, tempDir } from './helpers/repo.js';
import { thirdParty } from './helpers/third-party.js';
import {
  ACTIONLINT_VERSION,
  actionlintProblems,
  actionlintTitle,
  findActionlint,
  readWorkflows,
  schemaProblems,
} from './helpers/workflow-checks.js';

const skipActionlint = !findActionlint().path;

/** The default source with other settings: what an organization that changed its settings file renders. */
function sourceWith(change: (settings: Settings) => Settings): TemplateSource {
  const source = defaultSource();
  return { ...source, settings: change(structuredClone(source.settings)) };
}

function generateWith(source: TemplateSource, environments = ['dev', 'staging', 'prod']): string {
  const dir = join(tempDir(), 'svc');
  generateRepository(dir, manifestFor({ name: 'svc', environments }), source);
  return dir;
}

const workflowOf = (dir: string, file: string): any => readWorkflows(dir).find((found) => found.path === `.github/workflows/${file}`)!.value;

const settingsText = readFileSync(join(repoRoot, 'templates/settings.yaml'), 'utf8');

describe('the promotion settings', () => {
  const appAndArgo = sourceWith((settings) => ({
    ...settings,
    promotion: {
      mode: 'push',
      app: { clientId: 'Iv23liAcmePromotion1', privateKeySecret: 'PROMOTION_APP_PRIVATE_KEY' },
      argocd: { url: 'https://argocd.acme.dev', tokenSecret: 'ARGOCD_TOKEN', waitMinutes: 20 },
    },
  }));
  const dir = generateWith(appAndArgo);

  it('are optional: without them, a pull request per promotion with the workflow token', () => {
    const dir = generateWith(sourceWith(({ promotion: _, ...settings }) => settings));
    const job = workflowOf(dir, 'promotion.yml').jobs.promote;
    expect(job.with.mode).toBe('pull-request');
    expect(job.with).not.toHaveProperty('app-client-id');
    expect(job.secrets).toBeUndefined();
  });

  it('name the App, Argo CD and their secrets to the promote workflow, through the pipeline', () => {
    const promotion = workflowOf(dir, 'promotion.yml');
    expect(promotion.jobs.promote.with).toMatchObject({ mode: 'push', 'app-client-id': 'Iv23liAcmePromotion1', 'argocd-url': 'https://argocd.acme.dev', 'wait-minutes': 20 });
    expect(promotion.jobs.promote.secrets).toEqual({
      'app-private-key': '${{ secrets.PROMOTION_APP_PRIVATE_KEY }}',
      'argocd-token': '${{ secrets.ARGOCD_TOKEN }}',
    });
    expect(Object.keys(promotion.on.workflow_call.secrets)).toEqual(['PROMOTION_APP_PRIVATE_KEY', 'ARGOCD_TOKEN']);
    expect(workflowOf(dir, 'pipeline.yml').jobs.promote.secrets).toEqual({
      PROMOTION_APP_PRIVATE_KEY: '${{ secrets.PROMOTION_APP_PRIVATE_KEY }}',
      ARGOCD_TOKEN: '${{ secrets.ARGOCD_TOKEN }}',
    });
  });

  it('give workflows that validate against github-workflow.json', () => {
    expect(schemaProblems(dir)).toEqual([]);
  });

  it.skipIf(skipActionlint)(actionlintTitle('give workflows that pass actionlint'), () => {
    expect(actionlintProblems(dir)).toEqual([]);
  });

  it('refuse push mode without an App, at the promotion block', () => {
    const text = settingsText.replace('  mode: pull-request', '  mode: push');
    const line = text.split('\n').findIndex((candidate) => candidate === '  mode: push') + 1;
    expect(() => checkSettings(parseYaml(text, 'settings.yaml'))).toThrow(
      expect.objectContaining({ message: expect.stringContaining('missing required field "app"'), file: 'settings.yaml', line }),
    );
    const withApp = text.replace('  # app: {', '  app: {');
    expect(checkSettings(parseYaml(withApp, 'settings.yaml')).promotion).toEqual({
      mode: 'push',
      app: { clientId: 'Iv23liAcmePromotion1', privateKeySecret: 'PROMOTION_APP_PRIVATE_KEY' },
    });
  });

  it('refuse a secret name GitHub would not accept', () => {
    const text = settingsText.replace('  # app: { clientId: Iv23liAcmePromotion1, privateKeySecret: PROMOTION_APP_PRIVATE_KEY }', '  app: { clientId: Iv23li, privateKeySecret: GITHUB_TOKEN }');
    expect(() => checkSettings(parseYaml(text, 'settings.yaml'))).toThrow(/privateKeySecret/);
  });
});

describe("the examples' workflows (what `platform publish` renders)", () => {
  const folder = join(repoRoot, 'templates/service/examples');
  const source = defaultSource();
  describe.each(readdirSync(folder).filter((file) => file.endsWith('.yaml')).sort())('%s', (file) => {
    const { manifest } = readManifest(join(folder, file), source.settings);
    const dir = join(tempDir(), manifest.metadata.name);
    generateRepository(dir, { ...manifest, spec: { ...manifest.spec, template: { name: source.template.name, version: source.template.version } } }, source);

    it('validate against github-workflow.json', () => {
      expect(readWorkflows(dir).map((found) => found.path)).toContain('.github/workflows/promotion.yml');
      expect(schemaProblems(dir)).toEqual([]);
    });

    it.skipIf(skipActionlint)(actionlintTitle(`pass actionlint v${ACTIONLINT_VERSION}`), () => {
      expect(actionlintProblems(dir)).toEqual([]);
    });
  });
});

describe('CODEOWNERS', () => {
  /** The owners GitHub gives a path: the last rule that matches. */
  function ownersOf(codeowners: string, path: string): string[] {
    let owners: string[] = [];
    for (const line of codeowners.split('\n')) {
      const [pattern, ...rest] = line.replace(/#.*$/, '').trim().split(/\s+/);
      if (!pattern) continue;
      const matches = pattern === '*' || picomatch(pattern.replace(/^\//, ''), { dot: true })(path);
      if (matches) owners = rest;
    }
    return owners;
  }

  function modesOf(dir: string): Array<[string, string]> {
    const record = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-platform'];
    return Object.entries<any>(record.files).map(([path, file]) => [path, file.mode]);
  }

  it('gives the platform team every managed file and the service team every other one', () => {
    const dir = generateWith(defaultSource());
    const codeowners = readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8');
    const files = modesOf(dir);
    expect(files.map(([, mode]) => mode)).toEqual(expect.arrayContaining(['managed', 'merged', 'seeded']));
    for (const [path, mode] of files) {
      expect({ path, owners: ownersOf(codeowners, path) }).toEqual({ path, owners: [mode === 'managed' ? '@acme/team-platform' : '@acme/team-payments'] });
    }
    expect(codeowners).toMatch(/^\* @acme\/team-payments$/m);
  });

  it('gives everything to the service team when the settings name no platform team', () => {
    const dir = generateWith(sourceWith((settings) => ({ ...settings, organization: { ...settings.organization, platformTeam: undefined } })));
    const codeowners = readFileSync(join(dir, '.github/CODEOWNERS'), 'utf8');
    for (const [path] of modesOf(dir)) expect(ownersOf(codeowners, path)).toEqual(['@acme/team-payments']);
    expect(codeowners).not.toContain('team-platform');
  });
});

describe('pinned actions', () => {
  /** The table of actions.md: action -> its current release, commit and runtime. */
  const releases = new Map(
    readFileSync(thirdParty('actions.md'), 'utf8')
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .filter((cells) => cells.length === 7 && /^[0-9a-f]{40}$/.test(cells[3]!))
      .map((cells) => [cells[1]!, { version: cells[2]!, sha: cells[3]!, using: cells[5]! }]),
  );
  const actions = parse(readFileSync(join(repoRoot, 'templates/service/versions/actions.yaml'), 'utf8')) as Record<string, { action: string; sha: string; version: string }>;

  it('are the current releases of actions.md, all on node24', () => {
    expect(releases.size).toBeGreaterThan(5);
    for (const [key, entry] of Object.entries(actions)) {
      const release = releases.get(entry.action);
      expect(release, `${key}: ${entry.action} is not in actions.md`).toBeDefined();
      expect({ key, sha: entry.sha, version: entry.version, using: release!.using }).toEqual({ key, sha: release!.sha, version: release!.version, using: 'node24' });
    }
  });

  it('include every action the workflows use', () => {
    const dir = generateWith(sourceWith((settings) => ({ ...settings, promotion: { mode: 'pull-request', app: { clientId: 'Iv23li', privateKeySecret: 'APP_KEY' } } })));
    const used = [repoRoot, dir].flatMap((folder) =>
      readWorkflows(folder).flatMap((file) => [...file.text.matchAll(/uses: "?([a-z0-9-]+\/[a-z0-9._/-]+)@[0-9a-f]{40}/g)].map((match) => match[1]!)),
    );
    expect(used.length).toBeGreaterThan(0);
    const pinned = Object.values(actions).map((entry) => entry.action);
    expect([...new Set(used)].filter((action) => !pinned.includes(action))).toEqual([]);
  });

  it.skipIf(skipActionlint)(actionlintTitle(`are checked by actionlint v${ACTIONLINT_VERSION}`), () => {
    expect(findActionlint()).toMatchObject({ version: ACTIONLINT_VERSION });
  });

  it.skipIf(skipActionlint)(actionlintTitle('are checked by an actionlint that sees the local reusable workflow a call names'), () => {
    const dir = generateWith(defaultSource());
    const broken = join(tempDir(), 'broken');
    cpSync(dir, broken, { recursive: true });
    const pipeline = join(broken, '.github/workflows/pipeline.yml');
    const text = readFileSync(pipeline, 'utf8');
    // The promote job is the last: its one input, misspelt.
    const misspelt = text.replace(/ {6}tag: \$\{\{ github\.sha \}\}\n$/, '      tags: ${{ github.sha }}\n');
    expect(misspelt).not.toBe(text);
    writeFileSync(pipeline, misspelt);
    const problems = actionlintProblems(broken);
    expect(problems).toEqual([
      expect.stringMatching(/^\.github\/workflows\/pipeline\.yml:\d+:\d+: input "tag" is required by "\.\/\.github\/workflows\/promotion\.yml" reusable workflow \[actionlint workflow-call\]$/),
      expect.stringMatching(/input "tags" is not defined in "\.\/\.github\/workflows\/promotion\.yml"/),
    ]);
  });
});
