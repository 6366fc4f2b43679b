import * as core from '@actions/core';
import { Octokit } from '@octokit/rest';

/** A request that hangs must not hold the job: the comment is a courtesy, not the check. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The REST client at GITHUB_API_URL, so the same action works on GitHub Enterprise Server. Octokit's own
 * log goes to the plain log: a warning there would be an annotation and take one of the step's ten.
 */
export function createClient(token: string, apiUrl: string, budget?: AbortSignal): Octokit {
  const log = (message: string): void => core.debug(message);
  const signal = (): AbortSignal => (budget ? AbortSignal.any([budget, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS));
  return new Octokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: 'generator-platform-action',
    log: { debug: log, info: log, warn: log, error: log },
    request: {
      fetch: (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal: signal() }),
    },
  });
}

interface HttpFailure {
  name?: string;
  status?: number;
  message?: string;
  cause?: { name?: string };
  response?: { headers?: Record<string, string | number | undefined> };
}

/** An answer that is not what the endpoint returns (HTML from a proxy, a truncated body): garbage, said so. */
export class UnexpectedAnswer extends Error {
  constructor(what: string) {
    super(`GitHub's API answered with something that is not ${what}`);
    this.name = 'UnexpectedAnswer';
  }
}

/** A listing through every page; a page that is not a list (octokit then trips over it) is garbage, said so. */
export async function listAll(what: string, list: () => Promise<unknown>): Promise<unknown[]> {
  let items: unknown;
  try {
    items = await list();
  } catch (error) {
    if (error instanceof TypeError) throw new UnexpectedAnswer(what);
    throw error;
  }
  if (!Array.isArray(items)) throw new UnexpectedAnswer(what);
  return items as unknown[];
}

/** The budget's signal, aborted with a reason that says it is the Action's own deadline. */
export function apiBudget(ms: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new BudgetSpent(ms)), ms);
  timer.unref();
  return controller.signal;
}

class BudgetSpent extends Error {
  constructor(readonly ms: number) {
    super(`the Action's ${ms / 1000} s budget for GitHub's API (input api-timeout) is spent`);
    this.name = 'BudgetSpent';
  }
}

/** One line on why an API call failed, with what the user can do about it. */
export function describeApiError(error: unknown): string {
  const failure = (error ?? {}) as HttpFailure;
  if (error instanceof UnexpectedAnswer) return error.message;
  const cause = failure.cause as (HttpFailure & { ms?: number }) | undefined;
  if (failure.name === 'BudgetSpent' || cause?.name === 'BudgetSpent') return (cause?.name === 'BudgetSpent' ? cause.message : failure.message) ?? '';
  if (failure.name === 'TimeoutError' || cause?.name === 'TimeoutError' || failure.name === 'AbortError') {
    return `GitHub's API did not answer within ${REQUEST_TIMEOUT_MS / 1000} s (a timeout)`;
  }
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
