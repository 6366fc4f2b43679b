import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFirst, planAnnotations } from '../src/action/annotations.js';
import { addedLines, touchesChangedLine, type ChangedLines } from '../src/action/changed-lines.js';
import { COMMENT_MARKER, commentBody } from '../src/action/comment.js';
import type { RunContext } from '../src/action/context.js';
import { describeApiError } from '../src/action/github.js';
import { readInputs } from '../src/action/inputs.js';
import { markdownCell } from '../src/report/escape.js';
import { summaryMarkdown } from '../src/action/summary.js';
import { failingCount } from '../src/action/outputs.js';
import { countFindings } from '../src/report/counts.js';
import type { Finding, Severity } from '../src/validate/types.js';

function finding(line: number, severity: Severity = 'error', file = 'deploy/base/deployment.yaml', policy = 'container-security'): Finding {
  return { policy, severity, message: `problem on ${line}`, file, line, column: 3, endLine: line, endColumn: 9, helpUri: `https://docs/${policy}`, waived: false };
}

const context: RunContext = { eventName: 'pull_request', owner: 'acme', repo: 'svc', apiUrl: 'http://api', serverUrl: 'https://github.com', sha: 'abcdef1234567' };

describe('the added lines of a patch', () => {
  it('counts new-side line numbers across hunks, skipping removed lines and the no-newline marker', () => {
    const patch = [
      '@@ -1,3 +1,4 @@',
      ' a',
      '-b',
      '+B',
      '+C',
      ' d',
      '@@ -20,2 +21,3 @@ spec:',
      ' x',
      '+y',
      ' z',
      '\\ No newline at end of file',
    ].join('\n');
    expect([...addedLines(patch)]).toEqual([2, 3, 22]);
  });

  it('reads a hunk header without counts (a one-line file)', () => {
    expect([...addedLines('@@ -0,0 +1 @@\n+only')]).toEqual([1]);
  });

  it('a finding touches a change when any line of its range was added; a file without a patch counts whole', () => {
    const changed: ChangedLines = new Map<string, Set<number> | 'all'>([
      ['a.yaml', new Set([5])],
      ['big.yaml', 'all'],
    ]);
    expect(touchesChangedLine(changed, 'a.yaml', 3, 6)).toBe(true);
    expect(touchesChangedLine(changed, 'a.yaml', 6, 9)).toBe(false);
    expect(touchesChangedLine(changed, 'big.yaml', 400, 400)).toBe(true);
    expect(touchesChangedLine(changed, 'other.yaml', 5, 5)).toBe(false);
  });
});

describe('choosing annotations within the caps', () => {
  it('puts findings on changed lines first, then keeps at most 10 per severity', () => {
    const findings = [...Array.from({ length: 14 }, (_, index) => finding(index + 1)), finding(50, 'warning'), finding(60, 'info')];
    const ordered = changedFirst(findings, new Map([['deploy/base/deployment.yaml', new Set([13, 14])]]));
    expect(ordered.slice(0, 2).map((f) => f.line)).toEqual([13, 14]);
    const plan = planAnnotations(ordered);
    expect(plan.annotated.filter((f) => f.severity === 'error').map((f) => f.line)).toEqual([13, 14, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(plan.annotated.filter((f) => f.severity !== 'error')).toHaveLength(2);
    expect(plan.notAnnotated.map((f) => f.line)).toEqual([9, 10, 11, 12]);
  });

  it("leaves room for the action's own warnings", () => {
    const plan = planAnnotations(Array.from({ length: 12 }, (_, index) => finding(index + 1, 'warning')), { error: 0, warning: 2, info: 0 });
    expect(plan.annotated).toHaveLength(8);
    expect(plan.notAnnotated).toHaveLength(4);
  });
});

describe('counts and fail-on', () => {
  it('waived findings neither count nor fail', () => {
    const counts = countFindings([finding(1), { ...finding(2), waived: true }, finding(3, 'warning'), finding(4, 'info')]);
    expect(counts).toEqual({ error: 1, warning: 1, info: 1, waived: 1, total: 3 });
    expect([failingCount(counts, 'error'), failingCount(counts, 'warning'), failingCount(counts, 'info')]).toEqual([1, 2, 3]);
  });
});

describe('the comment body', () => {
  it('is cut below the limit at a row, says how many were left out and points at the summary', () => {
    const findings = Array.from({ length: 400 }, (_, index) => finding(index + 1));
    const body = commentBody({ findings, counts: countFindings(findings), context: { ...context, runUrl: 'https://github.com/acme/svc/actions/runs/7' } }, 8000);
    expect(body.length).toBeLessThanOrEqual(8000);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    const rows = body.split('\n').filter((line) => line.startsWith('| error |'));
    expect(body).toContain(`… and ${400 - rows.length} more findings, cut to fit GitHub's comment size: see the [job summary](https://github.com/acme/svc/actions/runs/7).`);
    expect(rows.at(-1)).toContain(`deployment.yaml:${rows.length}:3`);
  });

  it('links each finding to its lines at the commit under check', () => {
    const body = commentBody({ findings: [finding(7)], counts: countFindings([finding(7)]), context });
    expect(body).toContain('[deploy/base/deployment.yaml:7:3](https://github.com/acme/svc/blob/abcdef1234567/deploy/base/deployment.yaml#L7)');
    expect(body).not.toContain('cut to fit');
  });

  it('says the repository is clean when it is', () => {
    expect(commentBody({ findings: [], counts: countFindings([]), context })).toContain('Platform validation: clean');
  });
});

describe('markdown cells', () => {
  it('cannot break the table, inject HTML or mention people', () => {
    expect(markdownCell('a | b <img src=x> @team\nnext')).toBe('a &#124; b &lt;img src=x&gt; &#64;team next');
  });
});

describe('inputs', () => {
  it("applies action.yml's defaults and reads hyphenated names as the runner passes them", () => {
    const inputs = readInputs({ GITHUB_WORKSPACE: '/ws' }, '/');
    expect(inputs).toEqual({
      root: '/ws',
      workspace: '/ws',
      failOn: 'error',
      policies: [],
      sarifFile: join('/ws', 'platform-results.sarif'),
      comment: true,
      token: '',
      apiTimeoutMs: 60_000,
    });
    const given = readInputs(
      { GITHUB_WORKSPACE: '/ws', 'INPUT_FAIL-ON': 'warning', INPUT_POLICIES: 'org/a\norg/b, org/c', 'INPUT_GITHUB-TOKEN': 't', INPUT_COMMENT: 'false' },
      '/',
    );
    expect(given).toMatchObject({ failOn: 'warning', policies: ['/ws/org/a', '/ws/org/b', '/ws/org/c'], token: 't', comment: false });
  });

  it('refuses a bad value with a message naming the input', () => {
    expect(() => readInputs({ 'INPUT_FAIL-ON': 'fatal' })).toThrow('input fail-on: "fatal" is not one of error, warning, info');
    expect(() => readInputs({ INPUT_COMMENT: 'yes' })).toThrow('input comment: "yes" is not true or false');
    expect(() => readInputs({ 'INPUT_API-TIMEOUT': '0' })).toThrow('input api-timeout: "0" is not a number of seconds from 1 to 3600');
  });
});

describe('API failures', () => {
  it('explain a rate limit, a refused write and a server error in one line', () => {
    const limited = { status: 403, response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' } } };
    expect(describeApiError(limited)).toBe("GitHub's API rate limit was reached (HTTP 403); the limit resets at 2023-11-14T22:13:20.000Z");
    expect(describeApiError({ status: 429, response: { headers: { 'retry-after': '30' } } })).toContain('retry after 30s');
    expect(describeApiError({ status: 403, response: { headers: {} } })).toContain("a fork's pull request gets a read-only token");
    expect(describeApiError({ status: 502, message: 'Bad Gateway\nmore' })).toBe("GitHub's API answered HTTP 502: Bad Gateway");
  });
});

describe('the job summary', () => {
  const context: RunContext = { eventName: 'push', owner: 'acme', repo: 'svc', apiUrl: 'http://api', serverUrl: 'https://github.com' };
  const findings = Array.from({ length: 300 }, (_, index) => finding(index + 1));
  const result = { root: '/repo', findings, policies: [], filesChecked: 1 };

  it('lists the findings that were not annotated', () => {
    const markdown = summaryMarkdown({ result, notAnnotated: findings.slice(10), context, sarifFile: 'platform.sarif' });
    expect(markdown).toContain('### Not annotated (290)');
    expect(markdown.endsWith('The SARIF report is `platform.sarif`.\n')).toBe(true);
  });

  it("is cut at a line to fit GitHub's size limit, pointing at the SARIF report", () => {
    const markdown = summaryMarkdown({ result, notAnnotated: [], context, sarifFile: 'platform.sarif' }, 20_000);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(20_000);
    expect(markdown).toMatch(/\|\n\n<\/details>\n\n… cut to fit GitHub's size limit for a job summary\. The SARIF report is `platform\.sarif`\.\n$/);
  });
});
