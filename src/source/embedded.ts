/**
 * The templates shipped in this package: `templates/` (the current version, read from disk) and every
 * released version as a snapshot in `releases/` (scripts/snapshot-templates.js). The versions are the
 * ones of the service template, as the snapshots are named by it; any template of the package is loaded
 * from the same snapshot.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { CHANGELOG_JSON, releaseDatesOf } from '../publish/changelog.js';
import { releasesDir, templatesDir } from '../core/paths.js';
import { DEFAULT_TEMPLATE, loadTemplateTree, type TemplateSource } from '../render/source.js';
import { folderTree, memoryTree, type FileTree } from '../render/tree.js';
import type { OpenedSource } from './index.js';
import { ascending, declaredVersion, isVersion, newestOf, unknownVersion } from './versions.js';

const SPEC = 'embedded';

/** The package's templates; `roots` names another package checkout's (publish works on a copy in tests). */
export function embeddedSource(roots: EmbeddedRoots = { templates: templatesDir, releases: releasesDir }): OpenedSource {
  const current = (): string => declaredVersion(folderTree(roots.templates), DEFAULT_TEMPLATE);
  const versions = (): string[] => ascending([...releasedVersions(roots.releases), current()]);
  return {
    spec: SPEC,
    kind: 'embedded',
    versions: async () => versions(),
    newest: async () => newestOf(versions())!,
    // `platform publish` on the embedded templates writes its changelog into templates/.
    releaseDates: async () => (existsSync(join(roots.templates, CHANGELOG_JSON)) ? releaseDatesOf(readFileSync(join(roots.templates, CHANGELOG_JSON), 'utf8'), `templates/${CHANGELOG_JSON}`) : {}),
    async load(version, options = {}) {
      const template = options.template ?? DEFAULT_TEMPLATE;
      const wanted = version ?? newestOf(versions())!;
      // The current version is the folder itself: no snapshot to parse on the common path.
      const tree = wanted === current() ? folderTree(roots.templates) : snapshotTree(roots.releases, wanted, versions);
      const source = loadTemplateTree(tree, template, { spec: SPEC, commit: null });
      if (source.template.version !== wanted) {
        throw new UserError(`says version ${source.template.version}, but is loaded as version ${wanted}`, tree.name(`${template}/template.yaml`));
      }
      return source;
    },
  };
}

export interface EmbeddedRoots {
  templates: string;
  releases: string;
}

/** A template as released: from its snapshot, even when templates/ still says that version. */
export function releasedTemplate(releases: string, version: string, template: string): TemplateSource {
  const tree = snapshotTree(releases, version, () => releasedVersions(releases));
  return loadTemplateTree(tree, template, { spec: SPEC, commit: null });
}

/** The versions of `releases/`, by file name. */
export function releasedVersions(releases: string): string[] {
  if (!existsSync(releases)) return [];
  return readdirSync(releases)
    .map((file) => /^v(.+)\.json$/.exec(file)?.[1])
    .filter((version): version is string => version !== undefined && isVersion(version));
}

function snapshotTree(releases: string, version: string, versions: () => string[]): FileTree {
  const file = join(releases, `v${version}.json`);
  if (!isVersion(version) || !existsSync(file)) throw unknownVersion(SPEC, version, versions());
  const label = `releases/v${version}.json`;
  let snapshot: { files?: Record<string, string> };
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as typeof snapshot;
  } catch (error) {
    throw new UserError(`is not a template snapshot: ${(error as Error).message}`, label);
  }
  if (typeof snapshot.files !== 'object' || snapshot.files === null) throw new UserError('is not a template snapshot: no "files"', label);
  return memoryTree(snapshot.files, label);
}
