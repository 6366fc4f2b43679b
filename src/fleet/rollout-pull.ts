import semver from 'semver';
import type { FleetRepository } from './discover.js';
import type { GitHub } from './github.js';
import { branchVersion, CONFLICT_LABEL } from './rollout-body.js';

/** An open upgrade pull request, as much of it as the rollout compares. */
export interface UpgradePull {
  number: number;
  nodeId: string;
  url: string;
  branch: string;
  version: string;
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
}

/** The open pull requests from upgrade branches of the repository itself (one request: a rollout opens one per version). */
export async function openUpgradePulls(octokit: GitHub, repo: FleetRepository): Promise<UpgradePull[]> {
  const { data } = await octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, state: 'open', per_page: 100 });
  const pulls: UpgradePull[] = [];
  for (const pull of data) {
    const version = branchVersion(pull.head.ref);
    // A fork's branch of the same name is somebody else's.
    if (!version || (pull.head.repo && pull.head.repo.full_name !== repo.fullName)) continue;
    pulls.push({
      number: pull.number,
      nodeId: pull.node_id,
      url: pull.html_url,
      branch: pull.head.ref,
      version,
      title: pull.title,
      body: pull.body ?? '',
      draft: pull.draft === true,
      labels: pull.labels.map((label) => label.name ?? '').filter(Boolean),
    });
  }
  return pulls.sort((a, b) => semver.compare(a.version, b.version));
}

export interface WantedPull {
  branch: string;
  version: string;
  title: string;
  body: string;
  conflicts: boolean;
}

/** Open the pull request, or bring the open one to what is wanted; only what differs is written. Returns whether anything was. */
export async function ensurePull(octokit: GitHub, repo: FleetRepository, existing: UpgradePull | undefined, wanted: WantedPull): Promise<{ pull: UpgradePull; changed: boolean }> {
  const owner = repo.owner;
  const name = repo.name;
  let changed = false;
  let pull = existing;
  if (!pull) {
    const { data } = await octokit.rest.pulls.create({ owner, repo: name, head: wanted.branch, base: repo.defaultBranch, title: wanted.title, body: wanted.body, draft: wanted.conflicts });
    pull = { number: data.number, nodeId: data.node_id, url: data.html_url, branch: wanted.branch, version: wanted.version, title: wanted.title, body: wanted.body, draft: data.draft === true, labels: [] };
    changed = true;
  } else if (pull.title !== wanted.title || pull.body !== wanted.body) {
    await octokit.rest.pulls.update({ owner, repo: name, pull_number: pull.number, title: wanted.title, body: wanted.body });
    pull = { ...pull, title: wanted.title, body: wanted.body };
    changed = true;
  }
  if (wanted.conflicts && !pull.labels.includes(CONFLICT_LABEL)) {
    await octokit.rest.issues.addLabels({ owner, repo: name, issue_number: pull.number, labels: [CONFLICT_LABEL] });
    pull = { ...pull, labels: [...pull.labels, CONFLICT_LABEL] };
    changed = true;
  }
  if (wanted.conflicts && !pull.draft) {
    // REST cannot make an open pull request a draft; GraphQL can.
    await octokit.graphql('mutation ($id: ID!) { convertPullRequestToDraft(input: { pullRequestId: $id }) { pullRequest { isDraft } } }', { id: pull.nodeId });
    pull = { ...pull, draft: true };
    changed = true;
  }
  return { pull, changed };
}

/** A newer rollout supersedes an older one: say where the new pull request is, then close the old. */
export async function closeSuperseded(octokit: GitHub, repo: FleetRepository, older: UpgradePull, newer: UpgradePull): Promise<void> {
  await octokit.rest.issues.createComment({
    owner: repo.owner,
    repo: repo.name,
    issue_number: older.number,
    body: `Superseded by #${newer.number} (${newer.url}), which upgrades to ${newer.version}: it carries this upgrade too. Closed by \`platform rollout\`; the branch \`${older.branch}\` is left for you to delete.`,
  });
  await octokit.rest.pulls.update({ owner: repo.owner, repo: repo.name, pull_number: older.number, state: 'closed' });
}

/** The marker of the comment left when a person pushed to the upgrade branch: said once per tip. */
function pushedMarker(tip: string): string {
  return `<!-- platform-rollout: kept ${tip} -->`;
}

/**
 * Somebody pushed to the branch the rollout owns: their commits win, and the pull request hears what the
 * rollout would have pushed. Once per tip of the branch, so a rerun adds no comment. Returns whether it commented.
 */
export async function commentKeptBranch(octokit: GitHub, repo: FleetRepository, pull: UpgradePull, tip: string, wanted: WantedPull): Promise<boolean> {
  const marker = pushedMarker(tip);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: repo.owner, repo: repo.name, issue_number: pull.number, per_page: 100 });
  if (comments.some((comment) => comment.body?.includes(marker))) return false;
  const body = [
    marker,
    `\`platform rollout\` has a newer upgrade to ${wanted.version} for this branch, but \`${wanted.branch}\` has commits that are not the rollout's (its tip is ${tip.slice(0, 12)}), so it was not force-pushed.`,
    '',
    `To take the rollout's version, delete the branch (or reset it to the default branch) and run the rollout again; or run \`npx platform upgrade --to ${wanted.version}\` on this branch yourself.${wanted.conflicts ? ' The new upgrade has conflicts to resolve.' : ''}`,
  ].join('\n');
  await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: pull.number, body });
  return true;
}
