import type { Octokit } from '@octokit/rest';
import type { Finding } from '../validate/types.js';
import type { RunContext } from './context.js';
import { describeCounts, type Counts } from '../report/counts.js';
import { markdownCell } from '../report/escape.js';
import { listAll, UnexpectedAnswer } from './github.js';
import { fileLink } from './markdown.js';

/** The hidden line that finds our comment again among the pull request's comments. */
export const COMMENT_MARKER = '<!-- generator-platform:validate -->';
/** GitHub refuses a comment body longer than this. */
export const COMMENT_LIMIT = 65_536;

export interface CommentInput {
  /** Not waived, in the order to show them (those on changed lines first). */
  findings: readonly Finding[];
  counts: Counts;
  context: RunContext;
}

/** The comment's markdown, cut to GitHub's limit with a pointer to the job summary. */
export function commentBody({ findings, counts, context }: CommentInput, limit = COMMENT_LIMIT): string {
  const commit = context.sha ? ` for ${context.sha.slice(0, 7)}` : '';
  const summary = context.runUrl ? `[job summary](${context.runUrl})` : 'job summary';
  const waived = counts.waived ? ` ${counts.waived} waived by exceptions in platform.yaml.` : '';
  if (counts.total === 0) {
    return `${COMMENT_MARKER}\n### Platform validation: clean\n\nNo findings${commit}: the repository follows the platform's schemas and policies.${waived}\n`;
  }
  const head = [
    COMMENT_MARKER,
    `### Platform validation: ${describeCounts(counts)}`,
    '',
    `Findings${commit}, those on lines this pull request changed first.${waived} Details in the ${summary}.`,
    '',
    '| Severity | Policy | Where | Finding |',
    '| --- | --- | --- | --- |',
  ].join('\n');
  const rows = findings.map((finding) => row(finding, context));
  let body = head;
  for (const [index, line] of rows.entries()) {
    const rest = rows.length - index - 1;
    // Keep room for the note that would follow if this were the last row that fits.
    const note = rest > 0 ? truncationNote(rest, summary) : '';
    if (body.length + 1 + line.length + note.length + 1 > limit) {
      return `${body}\n${truncationNote(rows.length - index, summary)}`;
    }
    body += `\n${line}`;
  }
  return `${body}\n`;
}

function truncationNote(hidden: number, summary: string): string {
  return `\n… and ${hidden} more ${hidden === 1 ? 'finding' : 'findings'}, cut to fit GitHub's comment size: see the ${summary}.\n`;
}

function row(finding: Finding, context: RunContext): string {
  const where = `${finding.file}:${finding.line}:${finding.column}`;
  const link = fileLink(context, finding.file, finding.line, finding.endLine);
  const policy = finding.helpUri ? `[${markdownCell(finding.policy)}](${finding.helpUri})` : markdownCell(finding.policy);
  return `| ${finding.severity} | ${policy} | ${link ? `[${markdownCell(where)}](${link})` : markdownCell(where)} | ${markdownCell(finding.message, 500)} |`;
}

interface IssueComment {
  id: number;
  body?: string;
  user?: { login?: string } | null;
}

/** GITHUB_TOKEN's comments are written by this bot; GET /user refuses that token, so it is the fallback. */
export const ACTIONS_BOT = 'github-actions[bot]';

/** The login the token writes comments as. */
export async function tokenIdentity(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (typeof data?.login !== 'string') throw new UnexpectedAnswer('a user');
    return data.login;
  } catch (error) {
    // An integration token (GITHUB_TOKEN, an app's installation token) may not read /user.
    if ((error as { status?: number }).status === 403) return ACTIONS_BOT;
    throw error;
  }
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'not needed';

/**
 * Keep exactly one comment carrying the marker: update it in place, create it when there are findings and
 * none exists, and remove duplicates a race between two runs may have left. A pull request that was clean
 * from the start gets no comment. Only comments the token's own identity wrote are ours: a person who
 * quotes the marker keeps their comment.
 */
export async function upsertComment(octokit: Octokit, context: RunContext, pullNumber: number, body: string, clean: boolean): Promise<CommentOutcome> {
  const { owner, repo } = context;
  const comments = (await listAll('a list of comments', () => octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pullNumber, per_page: 100 }))) as IssueComment[];
  const marked = comments.filter((comment) => comment.body?.includes(COMMENT_MARKER));
  // Whose the token is matters only when there is a marked comment to tell apart.
  const identity = marked.length ? await tokenIdentity(octokit) : undefined;
  const ours = marked.filter((comment) => comment.user?.login === identity);
  const [kept, ...duplicates] = ours;
  for (const duplicate of duplicates) {
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: duplicate.id });
  }
  if (kept) {
    if (kept.body === body) return 'unchanged';
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: kept.id, body });
    return 'updated';
  }
  if (clean) return 'not needed';
  await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
  return 'created';
}
