import { simpleGit, type SimpleGit } from 'simple-git';
import { UserError } from '../core/errors.js';
import { LOCK_FILE, TXN_FOLDER } from '../core/transaction.js';
import { gitReason } from '../source/git-command.js';
import type { UpgradePlan } from './upgrade.js';

/** What this tool leaves in a repository only while it runs: never a reason to call a tree dirty. */
const OWN_FILES = [LOCK_FILE, `${TXN_FOLDER}/`];

async function gitAt(root: string): Promise<SimpleGit | undefined> {
  const git = simpleGit({ baseDir: root });
  try {
    return (await git.checkIsRepo()) ? git : undefined;
  } catch (error) {
    throw new UserError(`cannot run git: ${gitReason(error)}`, root);
  }
}

/**
 * An upgrade merges into the files as they are; with uncommitted changes in the way, the team could not
 * tell its edits from the upgrade's, nor undo the upgrade with git. Outside git there is nothing to check.
 * `finished`: paths a killed run's change just wrote (the platform's own, not the team's).
 */
export async function refuseDirtyTree(root: string, finished: string[] = []): Promise<void> {
  const git = await gitAt(root);
  if (!git) return;
  const status = await git.status(['--porcelain', '--', '.']);
  // Porcelain paths are from the top of the git repository: a service in a subfolder of a monorepo has a prefix.
  const prefix = (await git.revparse(['--show-prefix'])).trim();
  const ours = new Set(finished);
  const dirty = status.files
    .map((file) => (file.path.startsWith(prefix) ? file.path.slice(prefix.length) : file.path))
    .filter((path) => !ours.has(path) && !OWN_FILES.some((own) => path === own || path.startsWith(own)));
  if (dirty.length) {
    throw new UserError(`has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', ...' : ''}): commit or stash them, or pass --allow-dirty`, root);
  }
}

/** One commit with the upgrade's files, its message naming both versions. Conflicts are not committed. */
export async function commitUpgrade(root: string, plan: UpgradePlan): Promise<string | undefined> {
  const git = await gitAt(root);
  if (!git) throw new UserError('is not a git working tree: --commit needs one', root);
  if (plan.conflicts.length) {
    process.stderr.write('platform: not committed: resolve the conflicts first, then commit\n');
    return undefined;
  }
  const paths = [...plan.changes.writes.map((write) => write.path), ...plan.changes.removes, plan.changes.record!.path];
  await git.raw(['add', '--all', '--', ...paths]);
  // Only the upgrade's own paths: with --allow-dirty, other staged work stays the team's to commit.
  const ours = new Set(paths);
  const staged = (await git.diff(['--cached', '--name-only', '--no-renames', '--relative'])).split('\n').filter((path) => ours.has(path));
  if (!staged.length) return undefined;
  const subject = plan.from === plan.to ? `Re-render from platform.yaml (template ${plan.template}@${plan.to})` : `Upgrade template ${plan.template} from ${plan.from} to ${plan.to}`;
  const body = plan.migrations.length ? `\n\nMigrations:\n${plan.migrations.map((migration) => `- ${migration}`).join('\n')}` : '';
  let result;
  try {
    result = await git.commit(`${subject}${body}`, staged);
  } catch (error) {
    throw new UserError(`git commit failed: ${gitReason(error)} (the upgrade is written, not committed)`, root);
  }
  process.stdout.write(`committed ${result.commit}: ${subject}\n`);
  return result.commit;
}
