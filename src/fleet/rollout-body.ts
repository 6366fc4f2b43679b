import semver from 'semver';
import { formatEntry, type ChangelogEntry } from '../publish/changelog.js';
import type { Mode } from '../render/source.js';
import type { UpgradePlan } from '../upgrade/upgrade.js';

/** The branch a rollout to `version` owns in every repository: nobody else should push to it. */
export function upgradeBranch(version: string): string {
  return `platform/upgrade-v${version}`;
}

/** The version an upgrade branch is for, or undefined for any other branch. */
export function branchVersion(branch: string): string | undefined {
  const version = /^platform\/upgrade-v(.+)$/.exec(branch)?.[1];
  return version !== undefined && semver.valid(version) === version ? version : undefined;
}

/** The trailer of every commit the rollout makes: how a later run knows the branch's tip is its own. */
export const COMMIT_TRAILER = 'Platform-Rollout';

/** The label of an upgrade pull request whose merge left conflicts to resolve. */
export const CONFLICT_LABEL = 'platform-upgrade-conflicts';

export function pullRequestTitle(plan: Pick<UpgradePlan, 'template' | 'from' | 'to'>): string {
  return `Upgrade template ${plan.template} from ${plan.from} to ${plan.to}`;
}

export function commitMessage(plan: UpgradePlan): string {
  const migrations = plan.migrations.length ? `\n\nMigrations of platform.yaml:\n${plan.migrations.map((line) => `- ${line}`).join('\n')}` : '';
  const conflicts = plan.conflicts.length ? `\n\nConflicts marked in: ${plan.conflicts.join(', ')}` : '';
  return `${pullRequestTitle(plan)}${migrations}${conflicts}\n\n${COMMIT_TRAILER}: ${plan.template} ${plan.from} -> ${plan.to}\n`;
}

/** GitHub refuses a body over 65,536 characters; the changelog is what gives way. */
const BODY_LIMIT = 60_000;

const MODE_WORDS: Record<Mode, string> = {
  managed: 'managed: the platform team\'s, replaced',
  merged: 'merged: three-way merged, your edits kept',
  seeded: 'seeded: yours, only new ones added',
};

/**
 * What a reviewer needs: what moves, the conflicts and how to resolve them, the files per mode, and
 * what each version in between changes (the CHANGELOG.json entries `platform publish` wrote). The same
 * plan gives the same text, so a second run finds nothing to update.
 */
export function pullRequestBody(plan: UpgradePlan, changelog: ChangelogEntry[]): string {
  const branch = upgradeBranch(plan.to);
  const lines = [
    `This pull request moves the repository from template \`${plan.template}\` ${plan.from} to ${plan.to} (source \`${plan.source}\`). It was opened by \`platform rollout\`, which owns the branch \`${branch}\`: a push of yours to it is kept (the rollout comments instead of updating).`,
    '',
  ];
  if (plan.conflicts.length) {
    lines.push(
      '## Conflicts to resolve',
      '',
      'Your edits and the new template change the same lines of these files; both sides are kept between conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`):',
      '',
      ...plan.conflicts.map((path) => `- \`${path}\``),
      '',
      `To resolve: \`git fetch origin ${branch} && git switch ${branch}\`, edit each file to keep what both sides need and remove the markers, run \`npx platform check\` (it reports markers left), commit and push. Then mark this draft ready for review.`,
      '',
    );
  }
  if (plan.migrations.length) lines.push('## Migrations of platform.yaml', '', ...plan.migrations.map((line) => `- ${line}`), '');
  lines.push('## Files changed', '');
  for (const mode of ['managed', 'merged', 'seeded'] as const) {
    const files = plan.files.filter((file) => file.mode === mode && file.action !== 'kept');
    if (!files.length) continue;
    lines.push(`**${MODE_WORDS[mode]}**`, '', ...files.map((file) => `- ${file.action} \`${file.path}\`${file.note ? ` (${file.note})` : ''}`), '');
  }
  const head = lines.join('\n');
  const entries = changelog.filter((entry) => entry.template === plan.template && semver.gt(entry.version, plan.from) && semver.lte(entry.version, plan.to));
  entries.sort((a, b) => semver.compare(a.version, b.version));
  let notes = entries.length
    ? `## Changelog\n\n${entries.map((entry) => formatEntry(entry).replace(/^(#+) /gm, '#$1 ')).join('\n')}`
    : `## Changelog\n\nThe template source publishes no changelog for the versions after ${plan.from}.\n`;
  if (head.length + notes.length > BODY_LIMIT) notes = `${notes.slice(0, BODY_LIMIT - head.length - 200)}\n\n... (cut: see CHANGELOG.md of the template source)\n`;
  return `${head}\n${notes}`;
}

/** The entries of a CHANGELOG.json; an unreadable one is no changelog, not a failed rollout. */
export function changelogEntries(text: string | undefined): ChangelogEntry[] {
  if (text === undefined) return [];
  try {
    const entries = (JSON.parse(text) as { entries?: unknown }).entries;
    return Array.isArray(entries) ? ((entries as Array<{ version?: unknown } | null>).filter((entry) => typeof entry?.version === 'string' && semver.valid(entry.version)) as ChangelogEntry[]) : [];
  } catch {
    return [];
  }
}
