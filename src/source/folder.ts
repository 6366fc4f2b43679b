/**
 * A folder that is not a git repository (a team's templates being written, a checkout made by CI): it has
 * exactly one version, the one its template.yaml says, and it is read as it is on disk at each load.
 */
import { CHANGELOG_JSON, releaseDatesOf } from '../publish/changelog.js';
import { DEFAULT_TEMPLATE, loadTemplateTree } from '../render/source.js';
import { folderTree } from '../render/tree.js';
import type { OpenedSource } from './index.js';
import type { ParsedSpec } from './spec.js';
import { declaredVersion, unknownVersion } from './versions.js';

export function folderSource(parsed: ParsedSpec): OpenedSource {
  const tree = folderTree(parsed.location);
  const version = (template = DEFAULT_TEMPLATE): string => declaredVersion(tree, template);
  return {
    spec: parsed.spec,
    kind: 'folder',
    versions: async () => [version()],
    newest: async () => version(),
    async releaseDates() {
      return tree.has(CHANGELOG_JSON) ? releaseDatesOf(tree.read(CHANGELOG_JSON), tree.name(CHANGELOG_JSON)) : {};
    },
    async load(wanted, options = {}) {
      const template = options.template ?? DEFAULT_TEMPLATE;
      const has = version(template);
      if (wanted !== undefined && wanted !== has) throw unknownVersion(parsed.display, wanted, [has]);
      return loadTemplateTree(tree, template, { spec: parsed.spec, commit: null });
    },
  };
}
