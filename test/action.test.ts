/**
 * The Action as the runner runs it: the bundle, built into a checkout without node_modules, started as a
 * child process with INPUT_* and GITHUB_* variables against a local stand-in for GitHub's API.
 * Annotations, the caps, changed lines first, the summary, the outputs and the exit code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRepository } from '../src/validate/index.js';
import { actionHarness } from './helpers/action-harness.js';
import { runAction, type ActionRun } from './helpers/action-run.js';
import { EXTRA_WORKFLOW, unpinnedLine, type Mistakes } from './helpers/action-workspaces.js';

const REPOSITORY = 'acme/payments-api';
const HEAD_SHA = 'feedc0de00000000000000000000000000000001';
const TOKEN = 'ghs_test_token';

const action = actionHarness('action-test-');

function pullRequestEvent(number: number, action = 'opened', fork = false): { name: string; payload: unknown } {
  return {
    name: 'pull_request',
    payload: {
      action,
      number,
      repository: { full_name: REPOSITORY },
      pull_request: { number, head: { sha: HEAD_SHA, repo: { full_name: fork ? 'someone/payments-api' : REPOSITORY } } },
    },
  };
}

function run(dir: string, inputs: Record<string, string>, event?: { name: string; payload?: unknown }): Promise<ActionRun> {
  return runAction(action.bundle, {
    workspace: dir,
    apiUrl: action.github.url,
    repository: REPOSITORY,
    event,
    inputs: { policies: action.organizationPolicies, comment: 'false', 'github-token': TOKEN, ...inputs },
  });
}

interface Sarif {
  runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri: string }> } }; results: Array<{ ruleId: string; suppressions?: unknown[] }> }>;
}
const sarifOf = (dir: string): Sarif => JSON.parse(readFileSync(join(dir, 'platform-results.sarif'), 'utf8')) as Sarif;

const errorLines = (result: ActionRun): number[] =>
  result.annotations.filter((a) => a.level === 'error' && a.properties.file).map((a) => Number(a.properties.line));

/** A patch adding the last two unpinned steps (lines 48 to 55 of a twelve-step workflow). */
const PATCH_ADDING_LAST_TWO_STEPS = ['@@ -44,4 +44,12 @@ jobs:', ...[44, 45, 46, 47].map((n) => ` line ${n}`), ...Array.from({ length: 8 }, (_, n) => `+line ${48 + n}`)].join('\n');

describe('on a pull request with more findings than GitHub shows', () => {
  let result: ActionRun;
  let dir: string;
  beforeAll(async () => {
    dir = action.workspace({ unpinned: 12, unnamed: true, waived: true });
    action.github.maxPerPage = 1;
    // Three pages of files: the one with the changed lines is in the middle.
    action.github.files.set(7, [
      { filename: 'README.md', status: 'modified', patch: '@@ -1 +1 @@\n-old\n+new' },
      { filename: EXTRA_WORKFLOW, status: 'modified', patch: PATCH_ADDING_LAST_TWO_STEPS },
      { filename: 'docs/removed.md', status: 'removed' },
    ]);
    action.github.resetRequests();
    result = await run(dir, {}, pullRequestEvent(7));
  });
  afterAll(() => {
    action.github.maxPerPage = 100;
  });

  it('annotates exactly 10 errors, those on the changed lines first, in the exact workflow command format', () => {
    expect(errorLines(result)).toEqual([unpinnedLine(10), unpinnedLine(11), ...Array.from({ length: 8 }, (_, n) => unpinnedLine(n))]);
    const first = result.stdout.split('\n').find((line) => line.startsWith('::error file='));
    expect(first).toBe(
      `::error file=${EXTRA_WORKFLOW},line=48,col=15,endLine=48,endColumn=31,title=actions-pinned::` +
        '"actions/cache@v4" is not pinned to a full 40-character commit SHA (write actions/cache@<sha> # v4)',
    );
  });

  it('annotates the warning and the info, and not the waived finding', () => {
    const others = result.annotations.filter((a) => a.level !== 'error');
    expect(others.map((a) => [a.level, a.properties.title, a.properties.file, a.properties.line])).toEqual([
      ['warning', 'workflow-named', EXTRA_WORKFLOW, '1'],
      ['notice', 'job-timeout', EXTRA_WORKFLOW, '5'],
    ]);
    expect(result.stdout).not.toContain('replicas-prod-min');
  });

  it('read every page of the pull request files with the token', () => {
    const pages = action.github.requests.filter((r) => r.path === `/repos/${REPOSITORY}/pulls/7/files`);
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(pages.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(action.github.requests.filter((r) => r.path.includes('/comments'))).toEqual([]);
  });

  it('lists in the summary the findings that were not annotated, the policies with their docs, the waived one apart', () => {
    expect(result.summary).toContain('| error | 12 |');
    expect(result.summary).toContain('| waived | 1 |');
    const rules = sarifOf(dir).runs[0]!.tool.driver.rules;
    const helpUri = rules.find((rule) => rule.id === 'actions-pinned')!.helpUri;
    expect(helpUri).toMatch(/^https:\/\//);
    expect(result.summary).toContain(`[\`actions-pinned\`](${helpUri}) | error | 12 |`);
    expect(result.summary).toContain('### Not annotated (2)');
    const notAnnotated = result.summary.slice(result.summary.indexOf('### Not annotated'));
    for (const index of [8, 9]) {
      const line = unpinnedLine(index);
      expect(notAnnotated).toContain(`[${EXTRA_WORKFLOW}:${line}:15](https://github.com/${REPOSITORY}/blob/${HEAD_SHA}/${EXTRA_WORKFLOW}#L${line}) | error | actions-pinned |`);
    }
    expect(result.summary).toMatch(/### Waived[\s\S]*replicas-prod-min \| one replica until the migration is done \| team-platform \| 2099-12-31/);
  });

  it('sets the outputs and writes the SARIF file they name, with the waived finding suppressed', () => {
    expect(result.outputs).toEqual({ errors: '12', warnings: '1', infos: '1', waived: '1', total: '14', 'sarif-file': 'platform-results.sarif' });
    const results = sarifOf(dir).runs[0]!.results;
    expect(results).toHaveLength(15);
    expect(results.filter((r) => r.suppressions).map((r) => r.ruleId)).toEqual(['replicas-prod-min']);
  });

  it('fails the step, saying why', () => {
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::12 findings at or above "error"');
    expect(result.stderr).toBe('');
  });
});

describe('fail-on', () => {
  const cases: Array<{ name: string; mistakes: Mistakes; failOn?: string; code: number }> = [
    { name: 'a clean repository passes', mistakes: {}, code: 0 },
    { name: 'a warning passes at the default (error)', mistakes: { unnamed: true }, code: 0 },
    { name: 'a warning fails at warning', mistakes: { unnamed: true }, failOn: 'warning', code: 1 },
    { name: 'an info passes at warning', mistakes: { unpinned: 0 }, failOn: 'warning', code: 0 },
    { name: 'an info fails at info', mistakes: { unpinned: 0 }, failOn: 'info', code: 1 },
    { name: 'a waived finding never fails', mistakes: { waived: true }, failOn: 'info', code: 0 },
  ];
  for (const { name, mistakes, failOn, code } of cases) {
    it(name, async () => {
      const result = await run(action.workspace(mistakes), failOn ? { 'fail-on': failOn } : {});
      expect(result.code, result.stdout).toBe(code);
    });
  }
});

describe('without a pull request', () => {
  for (const event of [{ name: 'push', payload: { ref: 'refs/heads/main', repository: { full_name: REPOSITORY } } }, { name: 'workflow_dispatch', payload: {} }]) {
    it(`on ${event.name}: the first 10 errors in the validator's order, no API call`, async () => {
      action.github.resetRequests();
      const result = await run(action.workspace({ unpinned: 12 }), { comment: 'true' }, event);
      expect(errorLines(result)).toEqual(Array.from({ length: 10 }, (_, n) => unpinnedLine(n)));
      expect(result.outputs.errors).toBe('12');
      expect(result.code).toBe(1);
      expect(action.github.requests).toEqual([]);
    });
  }
});

describe('custom resources', () => {
  it('are checked against their upstream CRDs (carried beside the bundle), with the findings the CLI reports', async () => {
    const dir = action.workspace({});
    const edit = (file: string, from: string, to: string) => writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to));
    edit('deploy/overlays/prod/external-secrets.yaml', '  refreshInterval: 1h', '  refreshIntervall: 1h');
    edit('deploy/overlays/prod/databases.yaml', 'primaryUpdateStrategy: unsupervised', 'primaryUpdateStrategy: sometimes');
    const result = await run(dir, {});
    const cli = (await validateRepository(dir)).findings.filter((finding) => finding.policy === 'resource-schema');
    const annotated = result.annotations.filter((a) => a.properties.title === 'resource-schema');
    expect(annotated.map((a) => `${a.properties.file}:${a.properties.line} ${a.message}`)).toEqual(cli.map((finding) => `${finding.file}:${finding.line} ${finding.message}`));
    expect(annotated.map((a) => `${a.properties.file}:${a.properties.line}`)).toEqual(['deploy/overlays/prod/databases.yaml:12', 'deploy/overlays/prod/external-secrets.yaml:10']);
    expect(result.code).toBe(1);
  });
});

describe('a repository in a subfolder of the workspace', () => {
  it('annotates paths relative to the repository root, and matches them with the pull request files', async () => {
    const sub = 'services/payments';
    action.github.files.set(8, [{ filename: `${sub}/${EXTRA_WORKFLOW}`, status: 'added', patch: `@@ -0,0 +1,3 @@\n+a\n+b\n+c` }]);
    const result = await run(action.workspace({ unpinned: 11 }, sub), { path: sub, 'sarif-file': 'out/platform.sarif' }, pullRequestEvent(8));
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.properties.file)).toContain(`${sub}/${EXTRA_WORKFLOW}`);
    expect(errorLines(result)).toEqual(Array.from({ length: 10 }, (_, n) => unpinnedLine(n)));
    expect(result.outputs['sarif-file']).toBe('out/platform.sarif');
  });

  it('puts the changed lines first there too', async () => {
    const sub = 'services/payments';
    action.github.files.set(9, [{ filename: `${sub}/${EXTRA_WORKFLOW}`, status: 'modified', patch: PATCH_ADDING_LAST_TWO_STEPS }]);
    const result = await run(action.workspace({ unpinned: 12 }, sub), { path: sub }, pullRequestEvent(9));
    expect(errorLines(result).slice(0, 2)).toEqual([unpinnedLine(10), unpinnedLine(11)]);
  });
});

describe('missing or bad inputs', () => {
  it('without a token on a pull request: a warning, no API call, the same result', async () => {
    action.github.resetRequests();
    const result = await runAction(action.bundle, {
      workspace: action.workspace({ unpinned: 12 }),
      apiUrl: action.github.url,
      repository: REPOSITORY,
      event: pullRequestEvent(7),
      inputs: { policies: action.organizationPolicies },
    });
    const warnings = result.annotations.filter((a) => a.level === 'warning' && !a.properties.file);
    expect(warnings.map((a) => a.message)).toEqual([
      "no github-token: the pull request comment is skipped and annotations are not ordered by the pull request's changed lines",
    ]);
    expect(action.github.requests).toEqual([]);
    expect(errorLines(result)).toHaveLength(10);
    expect(result.code).toBe(1);
  });

  it('a bad fail-on is one line naming the input, without a stack trace', async () => {
    const result = await run(action.workspace({}), { 'fail-on': 'fatal' });
    expect(result.code).toBe(1);
    expect(result.stdout.trim()).toBe('::error::input fail-on: "fatal" is not one of error, warning, info');
    expect(result.stderr).toBe('');
  });

  it('a path that is not a folder is one line naming the input', async () => {
    const dir = action.workspace({});
    const result = await run(dir, { path: 'no/such/folder' });
    expect(result.code).toBe(1);
    expect(result.stdout.trim()).toBe(`::error::input path: ${join(dir, 'no/such/folder')} is not a directory`);
    expect(existsSync(join(dir, 'platform-results.sarif'))).toBe(false);
  });
});
