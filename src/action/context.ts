import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

/** What the action needs to know about the run, from the runner's GITHUB_* variables and the event payload. */
export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The pull request of a pull_request (or pull_request_target) event; undefined on push, workflow_dispatch... */
  pullRequest?: { number: number; headSha: string; fork: boolean };
  apiUrl: string;
  serverUrl: string;
  /** The page of this workflow run, where the job summary is. */
  runUrl?: string;
  /** The commit the findings are about, for links to their lines. */
  sha?: string;
}

interface EventPayload {
  repository?: { full_name?: string };
  pull_request?: { number?: number; head?: { sha?: string; repo?: { full_name?: string } | null } };
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const pr = payload.pull_request;
  const pullRequest =
    typeof pr?.number === 'number'
      ? {
          number: pr.number,
          headSha: pr.head?.sha ?? '',
          // A fork's pull request runs with a read-only token: the comment will be refused.
          fork: Boolean(pr.head?.repo?.full_name && payload.repository?.full_name && pr.head.repo.full_name !== payload.repository.full_name),
        }
      : undefined;
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    owner,
    repo,
    pullRequest,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl,
    runUrl: env.GITHUB_RUN_ID && owner ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    sha: pullRequest?.headSha || env.GITHUB_SHA || undefined,
  };
}

function readPayload(file: string | undefined): EventPayload {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // workflow_dispatch run locally, or a runner without a payload: no pull request.
    return {};
  }
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as EventPayload) : {};
  } catch {
    throw new UserError('the event payload is not JSON', file);
  }
}
