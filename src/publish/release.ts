import type { SimpleGit } from 'simple-git';
import { UserError } from '../core/errors.js';
import { gitReason } from '../source/git-command.js';

/** The subject of a release commit: how a rerun after a crash between commit and tag recognises its own. */
export function releaseSubject(version: string): string {
  return `Publish templates v${version}`;
}

/** Whether HEAD is the release commit of `version` that a killed or failed run left untagged. */
export async function untaggedRelease(git: SimpleGit, version: string): Promise<boolean> {
  const subject = (await git.raw(['log', '-1', '--format=%s'])).trim();
  return subject === releaseSubject(version);
}

/** Commit only the release's own files (other staged work stays the team's), then tag it. */
export async function commitAndTag(git: SimpleGit, dir: string, paths: string[], version: string, templates: string[]): Promise<string> {
  let commit: string;
  try {
    await git.add(['--', ...paths]);
    commit = (await git.commit(releaseSubject(version), paths)).commit;
  } catch (error) {
    throw new UserError(`git commit failed: ${gitReason(error)}; the release files are written and staged: fix the cause and run publish again, or \`git checkout HEAD -- .\` to drop them`, dir);
  }
  await tag(git, dir, version, templates);
  return commit;
}

export async function tag(git: SimpleGit, dir: string, version: string, templates: string[]): Promise<void> {
  try {
    await git.addAnnotatedTag(`v${version}`, `Templates ${version}: ${templates.join(', ')}`);
  } catch (error) {
    throw new UserError(`git tag v${version} failed: ${gitReason(error)}; the release is committed: run publish again to tag it`, dir);
  }
}

/** Push the branch and the tag to the branch's remote (else the only or first one); none: nothing to do. */
export async function pushRelease(git: SimpleGit, dir: string, version: string): Promise<boolean> {
  const remotes = await git.getRemotes();
  if (!remotes.length) return false;
  const branch = (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
  const configured = (await git.raw(['config', '--default', '', `branch.${branch}.remote`])).trim();
  const remote = configured || remotes[0]!.name;
  try {
    await git.push(remote, branch);
    await git.push(remote, `refs/tags/v${version}`);
  } catch (error) {
    throw new UserError(`tagged v${version} but the push to ${remote} failed: ${gitReason(error)}; push it with \`git push --follow-tags ${remote}\``, dir);
  }
  return true;
}
