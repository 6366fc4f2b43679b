import * as core from '@actions/core';
import { Octokit } from '@octokit/rest';

/** A request that hangs must not hold the job: the comment is a courtesy, not the check. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The REST client at GITHUB_API_URL, so the same action works on GitHub Enterprise Server. Octokit's own
 * log goes to the plain log: a warning there would be an annotation and take one of the step's ten.
 */
export function createClient(token: string, apiUrl: string): Octokit {
  const log = (message: string): void => core.debug(message);
  return new Octokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: 'generator-platform-action',
    log: { debug: log, info: log, warn: log, error: log },
    request: {
      fetch: (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
    },
  });
}

interface HttpFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** One line on why an API call failed, with what the user can do about it. */
export function describeApiError(error: unknown): string {
  const failure = (error ?? {}) as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const headers = failure.response?.headers ?? {};
  const retryAfter = headers['retry-after'];
  const reset = Number(headers['x-ratelimit-reset']);
  if (status === 429 || (status === 403 && (retryAfter !== undefined || String(headers['x-ratelimit-remaining']) === '0'))) {
    const when =
      retryAfter !== undefined
        ? `retry after ${String(retryAfter)}s`
        : Number.isFinite(reset)
          ? `the limit resets at ${new Date(reset * 1000).toISOString()}`
          : 'try again later';
    return `GitHub's API rate limit was reached (HTTP ${status}); ${when}`;
  }
  if (status === 403 || status === 401) {
    return `the token may not do this (HTTP ${status}): a fork's pull request gets a read-only token, and the workflow needs \`permissions: pull-requests: write\``;
  }
  if (status !== undefined) return `GitHub's API answered HTTP ${status}: ${firstLine(failure.message)}`;
  return `GitHub's API could not be reached: ${firstLine(failure.message ?? String(error))}`;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.slice(0, 200);
}
