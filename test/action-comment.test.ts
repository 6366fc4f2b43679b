/**
 * The Action's pull request comment and its API failures, with the bundle run as the runner runs it
 * against a local stand-in for GitHub's API: one sticky comment across pushes, a clean run saying so,
 * a fork's read-only token, server errors and rate limits that change nothing but the comment.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../src/action/comment.js';
import { actionHarness } from './helpers/action-harness.js';
import { runAction, type ActionRun } from './helpers/action-run.js';
import { EXTRA_WORKFLOW, unpinnedLine } from './helpers/action-workspaces.js';

const REPOSITORY = 'acme/payments-api';
const COMMENTS = `/repos/${REPOSITORY}/issues/7/comments`;

const action = actionHarness('action-comment-test-');

beforeEach(() => {
  action.github.comments.length = 0;
  action.github.files.clear();
  action.github.maxPerPage = 100;
  action.github.resetRequests();
});

function pullRequest(options: { action?: string; sha?: string; fork?: boolean } = {}): { name: string; payload: unknown } {
  const head = options.fork ? 'someone/payments-api' : REPOSITORY;
  return {
    name: 'pull_request',
    payload: {
      action: options.action ?? 'opened',
      number: 7,
      repository: { full_name: REPOSITORY },
      pull_request: { number: 7, head: { sha: options.sha ?? 'aaaaaaa000000000000000000000000000000001', repo: { full_name: head } } },
    },
  };
}

function run(dir: string, event = pullRequest(), inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(action.bundle, {
    workspace: dir,
    apiUrl: action.github.url,
    repository: REPOSITORY,
    event,
    env: { GITHUB_RUN_ID: '4242' },
    inputs: { policies: action.organizationPolicies, 'github-token': 'ghs_test_token', ...inputs },
  });
}

const ours = (): string[] => action.github.commentsOn(7).filter((c) => c.body.includes(COMMENT_MARKER)).map((c) => c.body);
const calls = (): string[] => action.github.requests.map((r) => `${r.method} ${r.path}${r.query.page ? `?page=${r.query.page}` : ''}`);
const warnings = (result: ActionRun): string[] => result.annotations.filter((a) => a.level === 'warning' && !a.properties.file).map((a) => a.message);

describe('one sticky comment', () => {
  it('is created on the first push, updated in place on the next, and says clean when the findings are fixed', async () => {
    // Other people's comments, over several pages: the action must look through all of them.
    action.github.maxPerPage = 2;
    for (const text of ['LGTM', 'please pin the actions', 'will do']) action.github.addComment(7, text);

    const dir = action.workspace({ unpinned: 3 });
    const first = await run(dir);
    expect(first.code).toBe(1);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toContain('### Platform validation: 3 errors');
    expect(ours()[0]).toContain(`[${EXTRA_WORKFLOW}:${unpinnedLine(0)}:15](https://github.com/${REPOSITORY}/blob/aaaaaaa000000000000000000000000000000001/`);
    expect(calls()).toEqual([`GET /repos/${REPOSITORY}/pulls/7/files`, `GET ${COMMENTS}`, `GET ${COMMENTS}?page=2`, `POST ${COMMENTS}`]);

    action.github.resetRequests();
    const second = await run(action.workspace({ unpinned: 2 }), pullRequest({ action: 'synchronize', sha: 'bbbbbbb000000000000000000000000000000002' }));
    expect(second.code).toBe(1);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toContain('### Platform validation: 2 errors');
    expect(ours()[0]).toContain('for bbbbbbb');
    expect(calls().filter((call) => !call.startsWith('GET'))).toEqual([`PATCH /repos/${REPOSITORY}/issues/comments/${action.github.commentsOn(7).find((c) => c.body.includes(COMMENT_MARKER))!.id}`]);
    expect(action.github.commentsOn(7).map((c) => c.body.slice(0, 10))).toEqual(['LGTM', 'please pin', 'will do', COMMENT_MARKER.slice(0, 10)]);

    const clean = await run(action.workspace({}), pullRequest({ action: 'synchronize', sha: 'ccccccc000000000000000000000000000000003' }));
    expect(clean.code).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toContain('### Platform validation: clean');
    expect(ours()[0]).not.toContain('actions-pinned');
  });

  it('is not created for a pull request that is clean from the start', async () => {
    const result = await run(action.workspace({}));
    expect(result.code).toBe(0);
    expect(action.github.comments).toEqual([]);
    expect(calls()).toEqual([`GET /repos/${REPOSITORY}/pulls/7/files`, `GET ${COMMENTS}`]);
  });

  it('keeps one when two runs raced and left two', async () => {
    const kept = action.github.addComment(7, `${COMMENT_MARKER}\nold`, 'github-actions[bot]');
    const extra = action.github.addComment(7, `${COMMENT_MARKER}\nolder`, 'github-actions[bot]');
    await run(action.workspace({ unpinned: 1 }));
    expect(action.github.commentsOn(7).map((c) => c.id)).toEqual([kept.id]);
    expect(calls()).toContain(`DELETE /repos/${REPOSITORY}/issues/comments/${extra.id}`);
    expect(ours()[0]).toContain('1 error');
  });

  it("is cut to GitHub's size with a pointer to the job summary", async () => {
    // Each policy reports at most 200 findings: two policies give a report well over the limit.
    const result = await run(action.workspace({ unpinned: 250, moreJobs: 250 }));
    expect(result.code).toBe(1);
    const [body] = ours();
    expect(body!.length).toBeLessThanOrEqual(65_536);
    const shown = body!.split('\n').filter((line) => /^\| (error|warning|info) \|/.test(line)).length;
    expect(shown).toBeGreaterThan(100);
    expect(body).toContain(
      `… and ${Number(result.outputs.total) - shown} more findings, cut to fit GitHub's comment size: see the [job summary](https://github.com/${REPOSITORY}/actions/runs/4242).`,
    );
  });

  it('is not touched when the comment input is false', async () => {
    await run(action.workspace({ unpinned: 1 }), pullRequest(), { comment: 'false' });
    expect(calls()).toEqual([`GET /repos/${REPOSITORY}/pulls/7/files`]);
  });
});

describe('when the API cannot help, only the comment is skipped', () => {
  it("a fork's pull request: the read-only token gets 403, a warning says why, the findings decide", async () => {
    action.github.fail({ method: 'POST', path: /\/comments$/, status: 403, message: 'Resource not accessible by integration' });
    const result = await run(action.workspace({ unpinned: 12 }), pullRequest({ fork: true }));
    expect(warnings(result)).toEqual([
      "the pull request comment is skipped: the token may not do this (HTTP 403): a fork's pull request gets a read-only token, and the workflow needs `permissions: pull-requests: write`",
    ]);
    expect(result.code).toBe(1);
    expect(result.annotations.filter((a) => a.level === 'error' && a.properties.file)).toHaveLength(10);
    expect(result.outputs.errors).toBe('12');
    expect(action.github.comments).toEqual([]);
  });

  it('a fork with a clean repository still passes', async () => {
    action.github.fail({ method: 'GET', path: /\/comments$/, status: 403, message: 'Resource not accessible by integration' });
    const result = await run(action.workspace({}), pullRequest({ fork: true }));
    expect(result.code).toBe(0);
    expect(warnings(result)).toHaveLength(1);
  });

  it('a server error: a warning, the same result', async () => {
    action.github.fail({ method: 'GET', path: /\/comments$/, status: 500, message: 'Server Error' });
    const result = await run(action.workspace({}));
    expect(warnings(result)).toEqual(["the pull request comment is skipped: GitHub's API answered HTTP 500: Server Error"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('a rate limit on the pull request files (429, retry-after): a warning, annotations in the validator order', async () => {
    action.github.files.set(7, [{ filename: EXTRA_WORKFLOW, status: 'modified', patch: '@@ -44,0 +48,1 @@\n+x' }]);
    action.github.fail({ method: 'GET', path: /\/files$/, status: 429, headers: { 'retry-after': '60' } });
    const result = await run(action.workspace({ unpinned: 12 }));
    expect(warnings(result)).toEqual([
      "the pull request's changed lines could not be read, annotations are not ordered by them: GitHub's API rate limit was reached (HTTP 429); retry after 60s",
    ]);
    const lines = result.annotations.filter((a) => a.level === 'error' && a.properties.file).map((a) => Number(a.properties.line));
    expect(lines).toEqual(Array.from({ length: 10 }, (_, n) => unpinnedLine(n)));
    expect(ours()).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('a rate limit on the comment (403, x-ratelimit-remaining 0): a warning with the reset time, the same result', async () => {
    action.github.fail({ method: 'GET', path: /\/comments$/, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800000000' } });
    const result = await run(action.workspace({ unpinned: 1 }));
    expect(warnings(result)).toEqual([
      "the pull request comment is skipped: GitHub's API rate limit was reached (HTTP 403); the limit resets at 2027-01-15T08:00:00.000Z",
    ]);
    expect(result.code).toBe(1);
    expect(result.outputs.errors).toBe('1');
  });

  it('touches only comments the token wrote: a person quoting the marker keeps their comment', async () => {
    const quoted = action.github.addComment(7, `Why does the bot write ${COMMENT_MARKER}?`, 'octocat');
    const copied = action.github.addComment(7, `${COMMENT_MARKER}\nmy own notes`, 'octocat');
    await run(action.workspace({ unpinned: 1 }));
    const bodies = new Map(action.github.commentsOn(7).map((c) => [c.id, c.body]));
    expect(bodies.get(quoted.id)).toBe(`Why does the bot write ${COMMENT_MARKER}?`);
    expect(bodies.get(copied.id)).toBe(`${COMMENT_MARKER}\nmy own notes`);
    const bot = action.github.commentsOn(7).filter((c) => c.user.login === 'github-actions[bot]');
    expect(bot).toHaveLength(1);
    expect(calls().filter((call) => /^(PATCH|DELETE)/.test(call))).toEqual([]);
  });

  it('with a personal token, the comments are matched by the login GET /user gives', async () => {
    action.github.authenticatedUser = 'platform-bot';
    try {
      const mine = action.github.addComment(7, `${COMMENT_MARKER}\nold`, 'platform-bot');
      const bots = action.github.addComment(7, `${COMMENT_MARKER}\nnot mine`, 'github-actions[bot]');
      await run(action.workspace({ unpinned: 1 }));
      expect(calls()).toContain(`PATCH /repos/${REPOSITORY}/issues/comments/${mine.id}`);
      expect(action.github.commentsOn(7).find((c) => c.id === bots.id)?.body).toBe(`${COMMENT_MARKER}\nnot mine`);
    } finally {
      action.github.authenticatedUser = undefined;
    }
  });

  it('an answer that is not JSON is worded as garbage, not as a bug', async () => {
    action.github.fail({ method: 'GET', path: /\/comments$/, status: 200, garbage: true });
    const result = await run(action.workspace({ unpinned: 1 }));
    expect(warnings(result)).toEqual(["the pull request comment is skipped: GitHub's API answered with something that is not a list of comments"]);
    expect(result.code).toBe(1);
  });

  it('a slow API stops at the api-timeout budget, says so, and the findings still decide', async () => {
    action.github.fail({ method: 'GET', path: /\/files$/, status: 200, delayMs: 4000 });
    const result = await run(action.workspace({ unpinned: 1 }), pullRequest(), { 'api-timeout': '2' });
    expect(warnings(result)[0]).toBe(
      "the pull request's changed lines could not be read, annotations are not ordered by them: the Action's 2 s budget for GitHub's API (input api-timeout) is spent",
    );
    expect(result.code).toBe(1);
    expect(result.outputs.errors).toBe('1');
  });
});

describe('inputs that leave the workspace', () => {
  for (const [input, value] of [['path', '../..'], ['sarif-file', '/tmp/elsewhere.sarif']] as const) {
    it(`${input}: ${value} is refused, naming the input, and nothing is written`, async () => {
      const dir = action.workspace({});
      const result = await run(dir, pullRequest(), { [input]: value });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`::error::input ${input}: .* is outside the workspace`));
      expect(action.github.requests).toEqual([]);
    });
  }
});
