/**
 * Repositories for the Action's tests, built from the validator's clean golden fixture: findings are added
 * in files the fixture does not manage, at lines the tests can name.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

const CLEAN_FIXTURE = join(repoRoot, 'test', 'fixtures', 'ok', 'service-dev-prod');
export const EXTRA_WORKFLOW = '.github/workflows/extra.yml';

export interface Mistakes {
  /** Steps using `actions/cache@v4` (an actions-pinned error each), at lines 8, 12, 16... */
  unpinned?: number;
  /** Leave the workflow without a name: a warning of the organization policy `workflow-named` at line 1. */
  unnamed?: boolean;
  /** Jobs after the extra one, each without a timeout (an info of `job-timeout` each). */
  moreJobs?: number;
  /** Prod at one replica, waived by an exception in platform.yaml (a waived replicas-prod-min). */
  waived?: boolean;
}

/** The line of the n-th (0-based) unpinned step of the extra workflow. */
export const unpinnedLine = (index: number): number => 8 + 4 * index;

/**
 * A copy of the clean fixture at `dir`, with the mistakes asked for. The extra workflow's job has no
 * timeout (an info of the organization policy `job-timeout` at line 5) whenever it exists.
 */
export function makeRepository(dir: string, mistakes: Mistakes = {}): string {
  cpSync(CLEAN_FIXTURE, dir, { recursive: true });
  if (mistakes.unpinned !== undefined || mistakes.unnamed) {
    const steps = Array.from({ length: mistakes.unpinned ?? 0 }, (_, index) =>
      ['      - uses: actions/cache@v4', '        with:', `          path: cache-${index}`, `          key: key-${index}`].join('\n'),
    );
    if (steps.length === 0) steps.push('      - run: echo nothing to cache');
    // The name goes last, so that the lines above stay where unpinnedLine() says.
    const name = mistakes.unnamed ? [] : ['name: extra'];
    const jobs = Array.from({ length: mistakes.moreJobs ?? 0 }, (_, index) => `  job-${index}: { runs-on: ubuntu-24.04, steps: [{ run: echo }] }`);
    const lines = ['on: push', 'permissions:', '  contents: read', 'jobs:', '  extra:', '    runs-on: ubuntu-24.04', '    steps:', ...steps, ...jobs, ...name, ''];
    writeFileSync(join(dir, EXTRA_WORKFLOW), lines.join('\n'));
  }
  if (mistakes.waived) {
    const overlay = join(dir, 'deploy', 'overlays', 'prod', 'kustomization.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('- count: 3', '- count: 1'));
    const manifest = join(dir, 'platform.yaml');
    writeFileSync(
      manifest,
      `${readFileSync(manifest, 'utf8')}  exceptions:\n    - policy: replicas-prod-min\n      reason: "one replica until the migration is done"\n      approvedBy: team-platform\n      expires: 2099-12-31\n`,
    );
  }
  return dir;
}

/** An organization's own policy folder (the `policies` input): a warning and an info about the extra workflow. */
export function makeOrganizationPolicies(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const examples = (pass: string, fail: string, finding: string): string =>
    [
      'examples:',
      '  pass:',
      '    - name: passes',
      '      files:',
      `        ${EXTRA_WORKFLOW}: |`,
      ...pass.split('\n').map((line) => `          ${line}`),
      '  fail:',
      '    - name: fails',
      '      files:',
      `        ${EXTRA_WORKFLOW}: |`,
      ...fail.split('\n').map((line) => `          ${line}`),
      '      findings:',
      `        - ${EXTRA_WORKFLOW}:${finding} `.trimEnd(),
      '',
    ].join('\n');
  writeFileSync(
    join(dir, 'workflow-named.yaml'),
    [
      'id: workflow-named',
      'title: Workflows have a name',
      'severity: warning',
      'rationale: Without a name a workflow shows up as its file path in the Actions tab.',
      'remediation: Add a top-level `name:`.',
      'appliesTo:',
      `  paths: ['${EXTRA_WORKFLOW}']`,
      'assert:',
      '  - schema: { required: [name] }',
      "    message: 'the workflow has no name'",
      examples('name: a\non: push\njobs: {}', 'on: push\njobs: {}', '1:1 workflow-named'),
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'job-timeout.yaml'),
    [
      'id: job-timeout',
      'title: Jobs set a timeout',
      'severity: info',
      'rationale: A job without timeout-minutes can run for six hours when a step hangs.',
      'remediation: Set `timeout-minutes` on the job.',
      'appliesTo:',
      `  paths: ['${EXTRA_WORKFLOW}']`,
      'assert:',
      "  - select: ['jobs.*']",
      '    schema: { required: [timeout-minutes] }',
      "    message: 'job has no timeout-minutes'",
      examples('on: push\njobs:\n  a: { runs-on: x, timeout-minutes: 5, steps: [] }', 'on: push\njobs:\n  a: { runs-on: x, steps: [] }', '3:3 job-timeout'),
    ].join('\n'),
  );
  return dir;
}
