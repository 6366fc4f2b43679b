import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveGit } from './git-http.js';
import { readBody, send } from './json-http.js';

/**
 * A stand-in for GitHub on 127.0.0.1 for the fleet commands: the GraphQL discovery query, the REST
 * endpoints of pull requests, labels, comments and App installation tokens, and git's smart HTTP for
 * clones and pushes, all backed by bare git repositories in a temporary folder (a repository can also be
 * "listed only": its two files in memory, for a benchmark of a thousand). Every request is recorded; a
 * request can be answered once with a rate limit (403/429 and GitHub's headers) or a server error.
 */

export interface RecordedRequest {
  kind: 'api' | 'graphql' | 'git';
  method: string;
  /** Path without the query string (and without GitHub Enterprise Server's /api/v3 or /api prefix). */
  path: string;
  /** As the client sent it. */
  url: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
  /** Date.now() when it arrived. */
  at: number;
  status?: number;
}

export interface FakeRepositoryOptions {
  owner?: string;
  name: string;
  /** A working copy whose HEAD is pushed as the default branch. */
  from?: string;
  /** Listed only, with these files (no git behind it). */
  files?: { manifest?: string | null; record?: string | null };
  defaultBranch?: string;
  archived?: boolean;
  disabled?: boolean;
  fork?: boolean;
}

export interface StoredPull {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  labels: string[];
}

export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issue: number;
  body: string;
}

export interface StoredAnalysis {
  id: number;
  ref: string;
  tool: string;
  createdAt: string;
  sarif: unknown;
}

/** A canned answer for the next `times` requests that match (default once). */
export interface FailureRule {
  method?: string;
  path?: RegExp;
  status: number;
  headers?: Record<string, string> | (() => Record<string, string>);
  message?: string;
  times?: number;
}

interface FakeRepository extends Required<Omit<FakeRepositoryOptions, 'from' | 'files'>> {
  files?: FakeRepositoryOptions['files'];
  bare?: string;
}

const OWNER = 'acme';

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly pulls: StoredPull[] = [];
  readonly comments: StoredComment[] = [];
  /** Code scanning: the analyses uploaded per owner/name, newest last; a repository without any answers 404 as GitHub does. */
  readonly analyses = new Map<string, StoredAnalysis[]>();
  /** Tokens the API and git accept (a token from `mintInstallationToken` joins them). */
  readonly tokens = new Set<string>();
  /** The bare repositories, below a temporary folder that `close` removes. */
  readonly root = mkdtempSync(join(tmpdir(), 'fake-github-'));
  url = '';
  private readonly repositories = new Map<string, FakeRepository>();
  private failures: FailureRule[] = [];
  private server?: Server;
  private nextId = 1;
  private minted = 0;

  constructor(token = 'ghp_fake-token-never-shown') {
    this.tokens.add(token);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => send(response, 500, { message: String(error) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.root, { recursive: true, force: true });
  }

  addRepository(options: FakeRepositoryOptions): void {
    const repo: FakeRepository = {
      owner: options.owner ?? OWNER,
      name: options.name,
      defaultBranch: options.defaultBranch ?? 'main',
      archived: options.archived ?? false,
      disabled: options.disabled ?? false,
      fork: options.fork ?? false,
      files: options.files,
    };
    if (!options.files) {
      repo.bare = join(this.root, repo.owner, `${repo.name}.git`);
      mkdirSync(join(this.root, repo.owner), { recursive: true });
      git(this.root, 'init', '-q', '--bare', '-b', repo.defaultBranch, repo.bare);
      if (options.from) git(options.from, 'push', '-q', repo.bare, `HEAD:refs/heads/${repo.defaultBranch}`);
    }
    this.repositories.set(`${repo.owner}/${repo.name}`, repo);
  }

  /** A SARIF upload of `tool` on `ref`, as code scanning keeps it. */
  addAnalysis(name: string, sarif: unknown, options: { owner?: string; ref?: string; tool?: string } = {}): StoredAnalysis {
    const key = `${options.owner ?? OWNER}/${name}`;
    const analysis = { id: this.nextId++, ref: options.ref ?? 'refs/heads/main', tool: options.tool ?? 'platform validate', createdAt: new Date().toISOString(), sarif };
    this.analyses.set(key, [...(this.analyses.get(key) ?? []), analysis]);
    return analysis;
  }

  /** The bare repository behind owner/name. */
  bare(name: string, owner = OWNER): string {
    const bare = this.repositories.get(`${owner}/${name}`)?.bare;
    if (!bare) throw new Error(`no git repository ${owner}/${name} in the fake`);
    return bare;
  }

  /** A branch's commit in the bare repository, or undefined. */
  branchHead(name: string, branch: string, owner = OWNER): string | undefined {
    try {
      return git(this.bare(name, owner), 'rev-parse', '--verify', '-q', `refs/heads/${branch}`).trim();
    } catch {
      return undefined;
    }
  }

  /** Every ref of every bare repository: what "the remotes untouched" compares. */
  snapshot(): string {
    const lines: string[] = [];
    for (const [fullName, repo] of [...this.repositories].sort()) {
      if (repo.bare) lines.push(`${fullName}\n${git(repo.bare, 'for-each-ref', '--format=%(refname) %(objectname)')}`);
    }
    return lines.join('\n');
  }

  /** Branch protection as a person sees it: every push to the repository refused by a pre-receive hook. */
  refusePushes(name: string, message: string, owner = OWNER): void {
    const hook = join(this.bare(name, owner), 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\necho "${message}" >&2\nexit 1\n`);
    chmodSync(hook, 0o755);
  }

  fail(rule: FailureRule): void {
    this.failures.push({ times: 1, ...rule });
  }

  /** The next matching request answers GitHub's primary rate limit, which resets `seconds` from then. */
  rateLimit(rule: { method?: string; path?: RegExp; seconds: number; status?: 403 | 429 }): void {
    this.fail({
      method: rule.method,
      path: rule.path,
      status: rule.status ?? 403,
      message: 'API rate limit exceeded for installation.',
      headers: () => ({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + rule.seconds) }),
    });
  }

  /** Forget the recorded requests (keep the repositories, pull requests and comments). */
  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Requests that change something: API writes and git pushes. */
  writes(): RecordedRequest[] {
    return this.requests.filter((request) =>
      request.kind === 'git'
        ? request.path.endsWith('/git-receive-pack')
        : request.kind === 'graphql'
          ? /^\s*mutation/.test(String((request.body as { query?: string } | undefined)?.query))
          : request.method !== 'GET' && !request.path.endsWith('/access_tokens'),
    );
  }

  pullsOf(name: string, owner = OWNER): StoredPull[] {
    return this.pulls.filter((pull) => pull.owner === owner && pull.repo === name);
  }

  commentsOn(name: string, issue: number, owner = OWNER): StoredComment[] {
    return this.comments.filter((comment) => comment.owner === owner && comment.repo === name && comment.issue === issue);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    // GitHub Enterprise Server's REST API is below /api/v3 and its GraphQL at /api/graphql: the same answers.
    url.pathname = url.pathname.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api\/graphql$/, '/graphql');
    const body = await readBody(request);
    const gitPath = /^(\/[^/]+\/[^/]+\.git)(\/(?:info\/refs|git-upload-pack|git-receive-pack))$/.exec(url.pathname);
    const kind = gitPath ? 'git' : url.pathname === '/graphql' ? 'graphql' : 'api';
    const recorded: RecordedRequest = {
      kind,
      method: request.method ?? 'GET',
      path: url.pathname,
      url: request.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      body: kind !== 'git' && body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined,
      at: Date.now(),
    };
    this.requests.push(recorded);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      recorded.status = status;
      send(response, status, payload, headers);
    };
    const failure = this.failures.find((rule) => (rule.times ?? 0) > 0 && (!rule.method || rule.method === recorded.method) && (!rule.path || rule.path.test(recorded.path)));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      const headers = typeof failure.headers === 'function' ? failure.headers() : failure.headers;
      return reply(failure.status, { message: failure.message ?? `canned ${failure.status}` }, headers);
    }
    if (gitPath) {
      if (!this.gitAuthorized(recorded.authorization)) {
        recorded.status = 401;
        response.writeHead(401, { 'www-authenticate': 'Basic realm="fake-github"' }).end();
        return;
      }
      recorded.status = 200;
      return serveGit(this.root, `${gitPath[1]}${gitPath[2]}`, request, body, response, 'rollout');
    }
    if (recorded.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(url.pathname)) {
      if (!/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(recorded.authorization ?? '')) return reply(401, { message: 'A JSON web token could not be decoded' });
      const token = `ghs_minted-${++this.minted}`;
      this.tokens.add(token);
      return reply(201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { contents: 'write', pull_requests: 'write' }, repository_selection: 'all' });
    }
    if (!this.apiAuthorized(recorded.authorization)) return reply(401, { message: 'Bad credentials' });
    if (kind === 'graphql') return this.graphql(recorded.body as { query: string; variables?: Record<string, unknown> }, reply);
    return this.rest(recorded, url, reply);
  }

  private apiAuthorized(header: string | undefined): boolean {
    const match = /^(?:token|bearer) (.+)$/i.exec(header ?? '');
    return match !== null && this.tokens.has(match[1]!);
  }

  private gitAuthorized(header: string | undefined): boolean {
    const match = /^basic (.+)$/i.exec(header ?? '');
    if (!match) return false;
    const [user, password] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':');
    return user === 'x-access-token' && this.tokens.has(password ?? '');
  }

  private graphql(body: { query: string; variables?: Record<string, unknown> }, reply: Reply): void {
    const variables = body.variables ?? {};
    if (/convertPullRequestToDraft/.test(body.query)) {
      const pull = this.pulls.find((stored) => nodeId(stored) === variables.id);
      if (!pull) return reply(200, { data: null, errors: [{ type: 'NOT_FOUND', message: 'no such pull request' }] });
      pull.draft = true;
      return reply(200, { data: { convertPullRequestToDraft: { pullRequest: { isDraft: true } } } });
    }
    if (!/repositoryOwner\s*\(/.test(body.query)) return reply(200, { errors: [{ message: 'the fake answers only the discovery query' }] });
    const owner = String(variables.owner);
    const all = [...this.repositories.values()].filter((repo) => repo.owner === owner).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (!all.length) return reply(200, { data: { repositoryOwner: null }, errors: [{ type: 'NOT_FOUND', path: ['repositoryOwner'], message: `Could not resolve to a User with the login of '${owner}'.` }] });
    const first = Math.min(Number(variables.first ?? 100), 100);
    const offset = variables.cursor ? Number(Buffer.from(String(variables.cursor), 'base64').toString()) : 0;
    const page = all.slice(offset, offset + first);
    const next = offset + page.length;
    const nodes = page.map((repo) => ({
      name: repo.name,
      owner: { login: repo.owner },
      url: `${this.url}/${repo.owner}/${repo.name}`,
      isArchived: repo.archived,
      isDisabled: repo.disabled,
      isFork: repo.fork,
      pushedAt: '2026-11-30T12:00:00Z',
      defaultBranchRef: { name: repo.defaultBranch },
      manifest: blob(this.read(repo, 'platform.yaml', 'manifest')),
      record: blob(this.read(repo, '.yo-rc.json', 'record')),
    }));
    reply(200, {
      data: { repositoryOwner: { repositories: { pageInfo: { hasNextPage: next < all.length, endCursor: Buffer.from(String(next)).toString('base64') }, nodes } } },
    });
  }

  private read(repo: FakeRepository, path: string, key: 'manifest' | 'record'): string | null {
    if (repo.files) return repo.files[key] ?? null;
    try {
      return git(repo.bare!, 'show', `HEAD:${path}`);
    } catch {
      return null;
    }
  }

  private rest(request: RecordedRequest, url: URL, reply: Reply): void {
    const { method, path } = request;
    const input = (request.body ?? {}) as Record<string, unknown>;
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    const repo = match ? this.repositories.get(`${match[1]}/${match[2]}`) : undefined;
    if (!match || !repo) return reply(404, { message: 'Not Found' });
    const rest = match[3] ?? '';
    if (rest === '/pulls' && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head');
      const found = this.pullsOf(repo.name, repo.owner).filter((pull) => (state === 'all' || pull.state === state) && (!head || `${repo.owner}:${pull.head}` === head));
      return reply(200, found.map((pull) => this.pullJson(pull)));
    }
    if (rest === '/pulls' && method === 'POST') {
      const head = String(input.head);
      if (!this.branchHead(repo.name, head, repo.owner)) return reply(422, { message: 'Validation Failed', errors: [{ field: 'head', code: 'invalid' }] });
      if (this.pulls.some((pull) => pull.owner === repo.owner && pull.repo === repo.name && pull.head === head && pull.state === 'open')) {
        return reply(422, { message: 'Validation Failed', errors: [{ message: `A pull request already exists for ${repo.owner}:${head}.` }] });
      }
      const pull: StoredPull = { number: this.nextId++, owner: repo.owner, repo: repo.name, title: String(input.title), body: String(input.body ?? ''), head, base: String(input.base), draft: input.draft === true, state: 'open', labels: [] };
      this.pulls.push(pull);
      return reply(201, this.pullJson(pull));
    }
    if (rest.startsWith('/code-scanning/analyses') && method === 'GET') return this.codeScanning(`${repo.owner}/${repo.name}`, rest, url, reply);
    const pullMatch = /^\/pulls\/(\d+)$/.exec(rest);
    const issueMatch = /^\/issues\/(\d+)\/(labels|comments)$/.exec(rest);
    const number = Number(pullMatch?.[1] ?? issueMatch?.[1]);
    const pull = this.pulls.find((stored) => stored.owner === repo.owner && stored.repo === repo.name && stored.number === number);
    if ((pullMatch || issueMatch) && !pull) return reply(404, { message: 'Not Found' });
    if (pullMatch && method === 'GET') return reply(200, this.pullJson(pull!));
    if (pullMatch && method === 'PATCH') {
      if (typeof input.title === 'string') pull!.title = input.title;
      if (typeof input.body === 'string') pull!.body = input.body;
      if (input.state === 'open' || input.state === 'closed') pull!.state = input.state;
      return reply(200, this.pullJson(pull!));
    }
    if (issueMatch?.[2] === 'labels' && method === 'POST') {
      for (const label of (input.labels as string[] | undefined) ?? []) if (!pull!.labels.includes(label)) pull!.labels.push(label);
      return reply(200, pull!.labels.map((name) => ({ name })));
    }
    if (issueMatch?.[2] === 'comments' && method === 'GET') return reply(200, this.commentsOn(repo.name, number, repo.owner));
    if (issueMatch?.[2] === 'comments' && method === 'POST') {
      const comment = { id: this.nextId++, owner: repo.owner, repo: repo.name, issue: number, body: String(input.body) };
      this.comments.push(comment);
      return reply(201, comment);
    }
    reply(404, { message: 'Not Found' });
  }

  /** The list of analyses (newest first, filtered by ref and tool) and one analysis as SARIF. */
  private codeScanning(key: string, rest: string, url: URL, reply: Reply): void {
    const all = this.analyses.get(key) ?? [];
    if (!all.length) return reply(404, { message: 'no analysis found' });
    if (rest === '/code-scanning/analyses') {
      const ref = url.searchParams.get('ref');
      const tool = url.searchParams.get('tool_name');
      const found = all.filter((analysis) => (!ref || analysis.ref === ref) && (!tool || analysis.tool === tool)).reverse();
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      return reply(200, found.slice(0, perPage).map((analysis) => ({ id: analysis.id, ref: analysis.ref, tool: { name: analysis.tool }, created_at: analysis.createdAt })));
    }
    const analysis = all.find((stored) => `/code-scanning/analyses/${stored.id}` === rest);
    if (!analysis) return reply(404, { message: 'Not Found' });
    reply(200, analysis.sarif, { 'content-type': 'application/sarif+json' });
  }

  private pullJson(pull: StoredPull): Record<string, unknown> {
    return {
      number: pull.number,
      node_id: nodeId(pull),
      html_url: `${this.url}/${pull.owner}/${pull.repo}/pull/${pull.number}`,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      draft: pull.draft,
      head: { ref: pull.head, label: `${pull.owner}:${pull.head}`, sha: this.branchHead(pull.repo, pull.head, pull.owner) ?? null, repo: { full_name: `${pull.owner}/${pull.repo}` } },
      base: { ref: pull.base },
      labels: pull.labels.map((name) => ({ name })),
      user: { login: 'platform-rollout[bot]' },
      created_at: '2026-12-01T00:00:00Z',
    };
  }
}

type Reply = (status: number, payload: unknown, headers?: Record<string, string>) => void;

function nodeId(pull: StoredPull): string {
  return `PR_${pull.owner}_${pull.repo}_${pull.number}`;
}

function blob(text: string | null): { text: string } | null {
  return text === null ? null : { text };
}

function git(cwd: string, ...args: string[]): string {
  if (!existsSync(cwd)) throw new Error(`no folder ${cwd}`);
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
