import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import { UserError } from '../core/errors.js';

/** The client of the fleet commands: REST and GraphQL, retried and throttled the way GitHub asks. */
export type GitHub = InstanceType<typeof FleetOctokit>;

const FleetOctokit = Octokit.plugin(retry, throttling);

export const DEFAULT_API_URL = 'https://api.github.com';

/** A request that hangs must not hold a rollout of hundreds of repositories. */
const REQUEST_TIMEOUT_MS = 60_000;
/** A rate limit waited out this many times for one request is given up (and that repository reported). */
const RATE_LIMIT_RETRIES = 3;

export interface GitHubOptions {
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's https://HOST/api/v3. */
  apiUrl?: string;
  /** A personal or workflow token. */
  token?: string;
  /** A GitHub App: its id and private key (PEM), and the installation on the organization. */
  appId?: string | number;
  privateKey?: string;
  installationId?: string | number;
  /**
   * Time between two requests that create content (pull requests, comments): GitHub asks for one second
   * to stay clear of its secondary rate limit. A local test server needs none.
   */
  writeIntervalMs?: number;
  /** Where the waits for rate limits are said (never with a token: octokit redacts it, and we log no header). */
  warn?: (message: string) => void;
}

/**
 * An Octokit at GITHUB_API_URL authenticated by a token or as a GitHub App installation (@octokit/auth-app
 * mints the installation token and mints it again before it expires). Server errors are retried with
 * backoff (plugin-retry); rate limits, primary and secondary, wait for `retry-after` or the reset
 * (plugin-throttling). The token is never part of a message this module writes.
 */
export function createGitHub(options: GitHubOptions = {}): GitHub {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`platform: ${message}\n`));
  const quiet = (): void => undefined;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    if (retryCount >= RATE_LIMIT_RETRIES) return false;
    warn(`GitHub's ${kind} rate limit reached on ${request.method} ${request.url}: waiting ${retryAfter}s`);
    return true;
  };
  const interval = options.writeIntervalMs ?? 1000;
  return new FleetOctokit({
    ...authentication(options),
    baseUrl: (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, ''),
    userAgent: 'generator-platform-rollout',
    // A failed request is said once, by whoever reports it (describeGitHubError), not also by octokit's request log.
    log: { debug: quiet, info: quiet, warn, error: quiet },
    request: {
      fetch: (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
    },
    // 429 is the throttling plugin's to wait out (retry-after, the reset): retried here too, it would be
    // retried on plugin-retry's own short backoff instead. Its other defaults stand.
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      // One group per client: its spacing is its own, not that of another client in the same process.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: interval }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * interval }),
    },
  });
}

function authentication(options: GitHubOptions): { auth?: unknown; authStrategy?: typeof createAppAuth } {
  if (options.appId !== undefined && options.appId !== '') {
    if (!options.privateKey) throw new UserError('a GitHub App needs its private key as well as its id');
    if (options.installationId === undefined || options.installationId === '') throw new UserError('a GitHub App needs the id of its installation on the organization');
    return {
      authStrategy: createAppAuth,
      auth: { appId: options.appId, privateKey: options.privateKey, installationId: Number(options.installationId) },
    };
  }
  return options.token ? { auth: options.token } : {};
}

/** The token git presents for clones and pushes: the installation token of an App (renewed as needed), else the token. */
export async function gitToken(octokit: GitHub): Promise<string | undefined> {
  const auth = (await octokit.auth({ type: 'installation' })) as { token?: string; type?: string };
  return auth.type === 'unauthenticated' ? undefined : auth.token;
}

interface HttpFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** One line on why an API call failed; never the request's headers (they hold the token). */
export function describeGitHubError(error: unknown): string {
  const failure = (error ?? {}) as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const message = firstLine(failure.message ?? String(error));
  if (status === 401) return `GitHub's API refused the credentials (HTTP 401): ${message}`;
  if (status === 403 || status === 429) return `GitHub's API refused (HTTP ${status}): ${message}`;
  if (status !== undefined) return `GitHub's API answered HTTP ${status}: ${message}`;
  return `GitHub's API could not be reached: ${message}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
