/**
 * A git repository as a template source: its `vX.Y.Z` tags are its versions and each version is the
 * checkout of its tag's commit, from the per-user cache (cache.ts). The network is used only when the
 * version asked for is not already checked out; a tag whose template.yaml says another version is refused.
 */
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { DEFAULT_TEMPLATE, loadTemplateTree, type TemplateSource } from '../render/source.js';
import { folderTree, type FileTree } from '../render/tree.js';
import { CHANGELOG_JSON, releaseDatesOf } from '../publish/changelog.js';
import { cachedCheckout, checkout, fileAt, hasCommit, isCommit, mirrorTags, tagDates, updateMirror } from './cache.js';
import type { OpenedSource } from './index.js';
import type { ParsedSpec } from './spec.js';
import { ascending, declaredVersion, isVersion, newestOf, unknownVersion } from './versions.js';

interface Fetched {
  mirror: string;
  /** version -> commit of its tag */
  commits: Map<string, string>;
}

export function gitSource(parsed: ParsedSpec): OpenedSource {
  let fetched: Promise<Fetched> | undefined;
  // One fetch per opened source: a command that lists versions and then loads one asks the remote once.
  const refresh = (): Promise<Fetched> => (fetched ??= fetchVersions(parsed));
  const versions = async (): Promise<string[]> => ascending((await refresh()).commits.keys());
  return {
    spec: parsed.spec,
    kind: 'git',
    versions,
    newest: async () => newestOf(await versions())!,
    async releaseDates() {
      const { mirror, commits } = await refresh();
      const dates: Record<string, string> = {};
      for (const [tag, day] of await tagDates(mirror, parsed.display)) {
        if (tag.startsWith('v') && commits.has(tag.slice(1))) dates[tag.slice(1)] = day;
      }
      // The changelog of the newest version holds every release's day, as its publisher wrote it.
      const path = parsed.subdir ? `${parsed.subdir}/${CHANGELOG_JSON}` : CHANGELOG_JSON;
      const newest = commits.get(newestOf([...commits.keys()])!)!;
      const changelog = await fileAt(mirror, newest, path, parsed.display);
      return changelog === undefined ? dates : { ...dates, ...releaseDatesOf(changelog, `${parsed.display}@v${newestOf([...commits.keys()])}:${path}`) };
    },
    async load(version, options = {}) {
      const template = options.template ?? DEFAULT_TEMPLATE;
      const recorded = options.commit && isCommit(options.commit) ? options.commit : undefined;
      // What a record names and this machine already has needs no git at all: upgrades work offline.
      const cached = version !== undefined && recorded ? cachedCheckout(recorded) : undefined;
      if (cached) return fromCheckout(parsed, cached, recorded!, version!, template, undefined);
      const { mirror, commits } = await refresh();
      const wanted = version ?? newestOf([...commits.keys()])!;
      const tagged = commits.get(wanted);
      // The recorded commit is what the repository was rendered from, even if the tag was moved since.
      const commit = recorded && recorded !== tagged && (await hasCommit(mirror, recorded, parsed.display)) ? recorded : tagged;
      if (!commit) throw unknownVersion(parsed.display, wanted, ascending(commits.keys()));
      const dir = await checkout(mirror, commit, parsed.display);
      return fromCheckout(parsed, dir, commit, wanted, template, commit === tagged ? `v${wanted}` : undefined);
    },
  };
}

async function fetchVersions(parsed: ParsedSpec): Promise<Fetched> {
  const { mirror } = await updateMirror(parsed.location, parsed.display);
  const commits = new Map<string, string>();
  for (const [tag, commit] of await mirrorTags(mirror, parsed.display)) {
    if (tag.startsWith('v') && isVersion(tag.slice(1))) commits.set(tag.slice(1), commit);
  }
  if (commits.size === 0) {
    throw new UserError(`template source ${parsed.display} has no version tags (vX.Y.Z): release a version with \`platform publish\``);
  }
  return { mirror, commits };
}

/** Load the source below a checkout, named in messages as `<repository>@<tag or commit>:<path>`. */
function fromCheckout(parsed: ParsedSpec, dir: string, commit: string, version: string, template: string, tag: string | undefined): TemplateSource {
  const tree = checkoutTree(parsed, dir, tag ?? commit.slice(0, 12));
  const declared = declaredVersion(tree, template);
  if (declared !== version) {
    const because = tag ? `it is tagged ${tag}: a version tag must match its template.yaml` : `version ${version} was recorded at commit ${commit}`;
    throw new UserError(`says version ${declared}, but ${because}`, tree.name(`${template}/template.yaml`));
  }
  return loadTemplateTree(tree, template, { spec: parsed.spec, commit });
}

function checkoutTree(parsed: ParsedSpec, dir: string, ref: string): FileTree {
  const repository = parsed.display.replace(/#.*$/, '');
  const prefix = parsed.subdir ? `${parsed.subdir}/` : '';
  return folderTree(parsed.subdir ? join(dir, parsed.subdir) : dir, {
    root: `${repository}@${ref}${parsed.subdir ? `:${parsed.subdir}` : ''}`,
    name: (path) => `${repository}@${ref}:${prefix}${path}`,
  });
}
