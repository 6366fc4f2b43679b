import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The few HTTP endpoints the promotion script of promote.yml calls, on 127.0.0.1: GitHub's pull requests
 * (list open ones by head and base, create, update) and environments (get one, with its protection rules),
 * and Argo CD's `GET /api/v1/applications/<name>`, over an in-memory store. It records every request.
 */

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  html_url: string;
}

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: any;
}

export class PromotionApi {
  readonly requests: Recorded[] = [];
  readonly pulls: PullRequest[] = [];
  /** Argo CD Applications by name, as Argo CD's API returns them. */
  readonly applications = new Map<string, unknown>();
  /** GitHub environments by name, as GitHub's API returns them; GitHub creates one, unprotected, on first use. */
  readonly environments = new Map<string, unknown>();
  url = '';
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const text = Buffer.concat(chunks).toString('utf8');
        const recorded: Recorded = {
          method: request.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          authorization: request.headers.authorization,
          body: text ? JSON.parse(text) : undefined,
        };
        this.requests.push(recorded);
        const [status, answer] = this.answer(recorded);
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(request: Recorded): [number, unknown] {
    const application = /^\/api\/v1\/applications\/([^/]+)$/.exec(request.path);
    if (application && request.method === 'GET') {
      const found = this.applications.get(application[1]!);
      return found ? [200, found] : [404, { error: 'application not found', code: 5 }];
    }
    const environment = /^\/repos\/[^/]+\/[^/]+\/environments\/([^/]+)$/.exec(request.path);
    if (environment && request.method === 'GET') {
      return [200, this.environments.get(environment[1]!) ?? { name: environment[1], protection_rules: [] }];
    }
    const pulls = /^\/repos\/([^/]+)\/([^/]+)\/pulls(?:\/(\d+))?$/.exec(request.path);
    if (!pulls) return [404, { message: 'Not Found' }];
    const [, owner, repo, number] = pulls;
    if (request.method === 'GET' && !number) {
      const head = request.query.head?.replace(`${owner}:`, '');
      return [200, this.pulls.filter((pull) => (!head || pull.head === head) && (!request.query.base || pull.base === request.query.base))];
    }
    if (request.method === 'POST' && !number) {
      if (this.pulls.some((pull) => pull.head === request.body.head)) return [422, { message: `A pull request already exists for ${owner}:${request.body.head}.` }];
      const created = { number: this.pulls.length + 1, ...request.body, html_url: `https://github.com/${owner}/${repo}/pull/${this.pulls.length + 1}` };
      this.pulls.push(created);
      return [201, created];
    }
    const existing = this.pulls.find((pull) => String(pull.number) === number);
    if (request.method === 'PATCH' && existing) {
      Object.assign(existing, request.body);
      return [200, existing];
    }
    return [404, { message: 'Not Found' }];
  }
}

/** An Argo CD Application's status as its API reports it. */
export function argoApplication(sync: string, health: string, images: string[]): unknown {
  return { status: { sync: { status: sync }, health: { status: health }, summary: { images } } };
}
