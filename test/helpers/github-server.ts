import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, send } from './json-http.js';

/**
 * A stand-in for the few endpoints of GitHub's REST API the Action uses, on 127.0.0.1: the pull request's
 * files and its issue comments (list with Link-header pagination, create, update, delete), over a small
 * in-memory store. It records every request and can be told to fail some of them.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
}

export interface PullRequestFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed';
  patch?: string;
}

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
}

/** A canned failure: the next `times` requests that match answer `status` (with `headers`). */
export interface FailureRule {
  method?: string;
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  message?: string;
  times?: number;
  /** Answer this status with an HTML page instead of JSON (a proxy's error page). */
  garbage?: boolean;
  /** Wait this long before answering (a slow API). */
  delayMs?: number;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly files = new Map<number, PullRequestFile[]>();
  readonly comments: StoredComment[] = [];
  /** GitHub honours per_page up to 100; a smaller cap here makes a few items span several pages. */
  maxPerPage = 100;
  /** Who GET /user says the token is; undefined answers 403 as GitHub does for GITHUB_TOKEN. */
  authenticatedUser?: string;
  private failures: FailureRule[] = [];
  private nextId = 1000;
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  fail(rule: FailureRule): void {
    this.failures.push({ times: Infinity, ...rule });
  }

  /** Forget the recorded requests and the failures, keep the store (a second run on the same pull request). */
  resetRequests(): void {
    this.requests.length = 0;
    this.failures = [];
  }

  addComment(issue: number, body: string, login = 'someone'): StoredComment {
    const comment = { id: this.nextId++, issue, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' } };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((comment) => comment.issue === issue);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const text = (await readBody(request)).toString('utf8');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    this.requests.push(recorded);
    const failure = this.failures.find(
      (rule) => (rule.times ?? 0) > 0 && (!rule.method || rule.method === recorded.method) && (!rule.path || rule.path.test(recorded.path)),
    );
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      if (failure.garbage) {
        response.writeHead(failure.status, { 'content-type': 'application/json; charset=utf-8', ...failure.headers });
        response.end('<html><body>502 Bad Gateway</body></html>');
        return;
      }
      if (failure.delayMs && failure.status === 200) return this.route(recorded, url, response);
      return send(response, failure.status, { message: failure.message ?? `canned ${failure.status}` }, failure.headers);
    }
    if (!recorded.authorization) return send(response, 401, { message: 'Requires authentication' });
    this.route(recorded, url, response);
  }

  private route(request: RecordedRequest, url: URL, response: ServerResponse): void {
    const { method, path } = request;
    if (path === '/user' && method === 'GET') {
      if (!this.authenticatedUser) return send(response, 403, { message: 'Resource not accessible by integration' });
      return send(response, 200, { login: this.authenticatedUser, type: 'User' });
    }
    let match = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/.exec(path);
    if (match && method === 'GET') return this.page(response, url, this.files.get(Number(match[1])) ?? []);
    match = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    if (match && method === 'GET') return this.page(response, url, this.commentsOn(Number(match[1])));
    if (match && method === 'POST') {
      const body = (request.body as { body?: unknown } | undefined)?.body;
      if (typeof body !== 'string') return send(response, 422, { message: 'body is required' });
      if (body.length > 65_536) return send(response, 422, { message: 'Body is too long (maximum is 65536 characters)' });
      return send(response, 201, this.addComment(Number(match[1]), body, 'github-actions[bot]'));
    }
    match = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    const comment = match ? this.comments.find((stored) => stored.id === Number(match![1])) : undefined;
    if (match && !comment) return send(response, 404, { message: 'Not Found' });
    if (comment && method === 'PATCH') {
      const body = (request.body as { body?: unknown } | undefined)?.body;
      if (typeof body !== 'string' || body.length > 65_536) return send(response, 422, { message: 'Validation Failed' });
      comment.body = body;
      return send(response, 200, comment);
    }
    if (comment && method === 'DELETE') {
      this.comments.splice(this.comments.indexOf(comment), 1);
      response.writeHead(204).end();
      return;
    }
    send(response, 404, { message: 'Not Found' });
  }

  /** One page of a list, with GitHub's Link header (`rel="next"`, `rel="last"`) when there are more. */
  private page(response: ServerResponse, url: URL, items: unknown[]): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.maxPerPage);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (target: number): string => {
      const next = new URL(url);
      next.searchParams.set('page', String(target));
      return next.toString();
    };
    const headers: Record<string, string> = {};
    if (page < last) headers.link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`;
    send(response, 200, items.slice((page - 1) * perPage, page * perPage), headers);
  }
}
