import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { UserError } from '../core/errors.js';
import { MANIFEST_FILE } from '../manifest/types.js';
import { RECORD_FILE } from '../render/render.js';
import { describeGitHubError, type GitHub } from './github.js';

/** One repository of the organization, with the two files every fleet command starts from. */
export interface FleetRepository {
  owner: string;
  name: string;
  /** owner/name */
  fullName: string;
  defaultBranch: string;
  /** Where git clones it over HTTPS (the token goes in a header, never here). */
  cloneUrl: string;
  htmlUrl: string;
  /** platform.yaml on the default branch, or null when it has none (not a platform repository). */
  manifest: string | null;
  /** The generation record (.yo-rc.json) on the default branch, or null. */
  record: string | null;
  /** When the default branch last moved (ISO 8601), for a report's "days behind". */
  pushedAt: string | null;
}

/** A 1-based slice of N: `--shard 2/4` is { index: 2, count: 4 }. */
export interface Shard {
  index: number;
  count: number;
}

export interface DiscoverOptions {
  /** A glob over the repository name (picomatch): `payments-*`. */
  repo?: string;
  shard?: Shard;
  /** Told about each repository left out, with why (archived, disabled, a fork). */
  onSkip?: (fullName: string, reason: string) => void;
}

/** GitHub caps a connection's page at 100 nodes; each node here reads both files too. */
const PAGE_SIZE = 100;

const QUERY = `query ($owner: String!, $cursor: String, $first: Int!) {
  repositoryOwner(login: $owner) {
    repositories(first: $first, after: $cursor, orderBy: { field: NAME, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        name
        owner { login }
        url
        isArchived
        isDisabled
        isFork
        pushedAt
        defaultBranchRef { name }
        manifest: object(expression: "HEAD:${MANIFEST_FILE}") { ... on Blob { text } }
        record: object(expression: "HEAD:${RECORD_FILE}") { ... on Blob { text } }
      }
    }
  }
}`;

interface Node {
  name: string;
  owner: { login: string };
  url: string;
  isArchived: boolean;
  isDisabled: boolean;
  isFork: boolean;
  pushedAt: string | null;
  defaultBranchRef: { name: string } | null;
  manifest: { text?: string | null } | null;
  record: { text?: string | null } | null;
}

interface Page {
  repositoryOwner: {
    repositories: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Node[] };
  } | null;
}

/**
 * The organization's repositories that can take a change (not archived, disabled or a fork), with their
 * platform.yaml and generation record, read by GraphQL a hundred repositories per request: an
 * organization of 1,000 costs ten requests however many of them are on the platform.
 */
export async function discoverFleet(octokit: GitHub, org: string, options: DiscoverOptions = {}): Promise<FleetRepository[]> {
  const matches = options.repo ? picomatch(options.repo, { nocase: true, dot: true }) : () => true;
  if (options.shard) checkShard(options.shard);
  const found: FleetRepository[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await query(octokit, org, cursor);
    if (!page.repositoryOwner) throw new UserError(`no organization or user ${org} on GitHub (or the token cannot see it)`);
    const { nodes, pageInfo } = page.repositoryOwner.repositories;
    for (const node of nodes) {
      if (!matches(node.name)) continue;
      if (options.shard && !inShard(node.name, options.shard)) continue;
      const fullName = `${node.owner.login}/${node.name}`;
      const skip = node.isArchived ? 'archived' : node.isDisabled ? 'disabled' : node.isFork ? 'a fork' : node.defaultBranchRef ? undefined : 'empty (no default branch)';
      if (skip) {
        options.onSkip?.(fullName, skip);
        continue;
      }
      found.push({
        owner: node.owner.login,
        name: node.name,
        fullName,
        defaultBranch: node.defaultBranchRef!.name,
        cloneUrl: `${node.url}.git`,
        htmlUrl: node.url,
        manifest: node.manifest?.text ?? null,
        record: node.record?.text ?? null,
        pushedAt: node.pushedAt,
      });
    }
    cursor = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  } while (cursor);
  return found;
}

async function query(octokit: GitHub, owner: string, cursor: string | null): Promise<Page> {
  try {
    return await octokit.graphql<Page>(QUERY, { owner, cursor, first: PAGE_SIZE });
  } catch (error) {
    const errors = (error as { errors?: Array<{ type?: string }> }).errors;
    if (errors?.some((item) => item.type === 'NOT_FOUND')) throw new UserError(`no organization or user ${owner} on GitHub (or the token cannot see it)`);
    throw new UserError(`cannot list the repositories of ${owner}: ${describeGitHubError(error)}`);
  }
}

/**
 * Which shard a repository is in: a hash of its name, so the slice does not move when repositories are
 * added or removed, and every machine of a matrix computes the same one.
 */
export function shardOf(name: string, count: number): number {
  const hash = createHash('sha256').update(name.toLowerCase()).digest();
  return (hash.readUInt32BE(0) % count) + 1;
}

function inShard(name: string, shard: Shard): boolean {
  return shardOf(name, shard.count) === shard.index;
}

function checkShard(shard: Shard): void {
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
    throw new UserError(`--shard ${shard.index}/${shard.count}: not a shard such as 1/4 (I from 1 to N)`);
  }
}

/** `--shard I/N` as typed. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : { index: NaN, count: NaN };
  if (!match) throw new UserError(`--shard ${text}: not a shard such as 1/4 (I from 1 to N)`);
  checkShard(shard);
  return shard;
}
