/**
 * Where a release goes. A git template source releases as a tag (`vX.Y.Z`) on a commit of its own files;
 * the templates embedded in this package release as a snapshot (`releases/vX.Y.Z.json`, written by
 * scripts/snapshot-templates.js) committed with the changelog, with no tag: the package's own version
 * is what npm publishes. Both refuse, before anything is written, a version that is not new.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import semver from 'semver';
import { simpleGit, type SimpleGit } from 'simple-git';
import { UserError } from '../core/errors.js';
import { loadTemplateSource, type TemplateSource } from '../render/source.js';
import { releasedTemplate, releasedVersions } from '../source/embedded.js';
import { gitReason } from '../source/git-command.js';
import { openSource } from '../source/index.js';
import { ascending, isVersion, newestOf } from '../source/versions.js';
import { CHANGELOG_JSON } from './changelog.js';
import { commitAndTag, pushRelease, releaseSubject, untaggedRelease } from './release.js';

export interface ReleaseTarget {
  previous: string | null;
  version: string;
  git: SimpleGit | undefined;
  /** The template as the previous release had it; undefined when it had none (a first release). */
  before(template: string): Promise<TemplateSource | undefined>;
  /** The files this kind of release writes besides the changelogs and template.yaml files. */
  extraFiles: string[];
  /** After the changelogs and versions are written. */
  finish(written: string[]): Promise<{ commit?: string; pushed: boolean }>;
}

/** The package root when `dir` is a package checkout's `templates/` (it has releases/ and the snapshot script). */
export function embeddedPackage(dir: string): string | undefined {
  const root = dirname(dir);
  const isTemplates = dir === join(root, 'templates') && existsSync(join(root, 'releases')) && existsSync(snapshotScript(root));
  return isTemplates ? root : undefined;
}

export async function gitRepository(dir: string, what: string): Promise<SimpleGit | undefined> {
  const git = simpleGit({ baseDir: dir });
  try {
    return (await git.checkIsRepo()) ? git : undefined;
  } catch (error) {
    throw new UserError(`cannot run git for ${what}: ${gitReason(error)}`, dir);
  }
}

export async function refuseUncommitted(git: SimpleGit, paths: string[], dir: string): Promise<void> {
  const status = await git.status(['--porcelain', '--', ...paths]);
  if (!status.isClean()) throw new UserError(`has uncommitted changes (${status.files.slice(0, 3).map((file) => file.path).join(', ')}): commit them first, so the release names what was validated`, dir);
}

/** --version, or the first version template.yaml says that is new; never one that is not. */
export function chooseVersion(given: string | undefined, declared: string[], isNew: (version: string) => string | undefined): string {
  const version = given ?? declared.find((candidate) => isNew(candidate) === undefined);
  if (version === undefined) throw new UserError(`pass --version: template.yaml says ${declared.join(', ')}, ${isNew(declared[0]!)}`);
  if (!isVersion(version)) throw new UserError(`--version ${version}: not a version such as 1.2.0`);
  const refused = isNew(version);
  if (refused) throw new UserError(`--version ${version}: ${refused}`);
  return version;
}

/** The embedded templates of a package checkout: previous is the newest snapshot below the version. */
export async function embeddedTarget(dir: string, root: string, options: { version?: string; dryRun?: boolean }, templates: string[]): Promise<ReleaseTarget> {
  const releases = join(root, 'releases');
  const git = await gitRepository(root, 'the package checkout');
  const released = releasedVersions(releases);
  const published = publishedVersions(dir);
  const declared = templates.map((name) => loadTemplateSource(dir, name).template.version);
  const version = chooseVersion(options.version, declared, (candidate) => {
    if (published.has(candidate)) return `already published (${relative(root, join(dir, CHANGELOG_JSON))})`;
    const newer = released.filter((found) => isVersion(found) && semver.gt(found, candidate));
    return newer.length ? `older than the released ${newestOf(newer)}; released versions are immutable` : undefined;
  });
  if (git && !options.dryRun) await refuseUncommitted(git, ['templates', 'releases'], dir);
  const previous = newestOf(released.filter((found) => semver.lt(found, version))) ?? null;
  return {
    previous,
    version,
    git,
    extraFiles: [join(releases, `v${version}.json`)],
    async before(template) {
      if (!previous || !snapshotHas(releases, previous, `${template}/template.yaml`)) return undefined;
      return releasedTemplate(releases, previous, template);
    },
    async finish(written) {
      const run = spawnSync(process.execPath, [snapshotScript(root), root], { encoding: 'utf8' });
      if (run.status !== 0) throw new UserError(`writing the snapshot failed: ${(run.stderr || run.error?.message || '').trim()}`, releases);
      if (!git) return { pushed: false };
      try {
        await git.add(['--', ...written]);
        return { commit: (await git.commit(releaseSubject(version), written)).commit, pushed: false };
      } catch (error) {
        throw new UserError(`git commit failed: ${gitReason(error)}; the release files are written: fix the cause and commit them`, root);
      }
    },
  };
}

/** A git template source: previous is the newest `vX.Y.Z` tag. */
export async function gitTarget(dir: string, git: SimpleGit, options: { version?: string; dryRun?: boolean; push?: boolean }, templates: string[]): Promise<ReleaseTarget & { resumable: boolean }> {
  const top = (await git.revparse(['--show-toplevel'])).trim();
  if (!options.dryRun) await refuseUncommitted(git, ['.'], dir);
  const tags = versionTags((await git.tags()).all);
  const previous = tags.at(-1) ?? null;
  const declared = templates.map((name) => loadTemplateSource(dir, name).template.version);
  const version = chooseVersion(options.version, declared, (candidate) =>
    previous && isVersion(candidate) && !semver.gt(candidate, previous) ? `not greater than the newest tag v${previous}` : undefined,
  );
  const subdir = relative(top, dir).split('\\').join('/');
  const opened = previous ? await openSource(subdir ? `${top}#${subdir}` : top) : undefined;
  return {
    previous,
    version,
    git,
    extraFiles: [],
    resumable: !options.dryRun && (await untaggedRelease(git, version)),
    async before(template) {
      if (!opened || !(await hadTemplate(git, previous!, subdir, template))) return undefined;
      return opened.load(previous!, { template });
    },
    async finish(written) {
      const commit = await commitAndTag(git, dir, written, version, templates);
      return { commit, pushed: options.push !== false && (await pushRelease(git, dir, version)) };
    },
  };
}

export function versionTags(tags: string[]): string[] {
  return ascending(tags.filter((tag) => tag.startsWith('v') && isVersion(tag.slice(1))).map((tag) => tag.slice(1)));
}

/** Did the previous release have this template (a new template's first release has no "before")? */
async function hadTemplate(git: SimpleGit, previous: string, subdir: string, name: string): Promise<boolean> {
  try {
    await git.raw(['cat-file', '-e', `v${previous}:${subdir ? `${subdir}/` : ''}${name}/template.yaml`]);
    return true;
  } catch {
    return false;
  }
}

function snapshotScript(root: string): string {
  return join(root, 'scripts', 'snapshot-templates.js');
}

function snapshotHas(releases: string, version: string, path: string): boolean {
  const snapshot = JSON.parse(readFileSync(join(releases, `v${version}.json`), 'utf8')) as { files?: Record<string, string> };
  return typeof snapshot.files?.[path] === 'string';
}

/** The versions the changelog of the templates already lists. */
function publishedVersions(dir: string): Set<string> {
  const file = join(dir, CHANGELOG_JSON);
  if (!existsSync(file)) return new Set();
  let parsed: { entries?: Array<{ version?: unknown }> };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new UserError(`is not JSON: ${(error as Error).message}`, file);
  }
  return new Set((parsed.entries ?? []).map((entry) => entry.version).filter((version): version is string => typeof version === 'string'));
}
