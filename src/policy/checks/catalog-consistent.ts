/**
 * The Backstage entry must describe the same service as platform.yaml: the same name, the same owner
 * team and the same description, or the catalog and the platform disagree about who owns what.
 */
import { isPlainObject } from '../select.js';
import { manifestDoc } from './manifest-doc.js';
import type { BuiltinCheck } from './registry.js';

export const CATALOG_FILE = 'catalog-info.yaml';

/** `group:default/team-a`, `group:team-a` and `team-a` all name the team team-a. */
function ownerName(value: string): string {
  return value.replace(/^group:/, '').replace(/^[^/]+\//, '');
}

export const catalogConsistent: BuiltinCheck = {
  name: 'catalog-consistent',
  scope: 'fixed',
  description: "Compares catalog-info.yaml's Component (metadata.name, spec.owner, metadata.description) with platform.yaml.",
  run(context) {
    const manifest = manifestDoc(context.model);
    if (!manifest?.name) return;
    const file = context.model.file(CATALOG_FILE);
    if (!file) {
      context.reportAt(manifest.file.path, manifest.doc, ['metadata', 'name'], `no ${CATALOG_FILE}: the service is missing from the catalog`);
      return;
    }
    context.tick(file.path);
    const doc = file.documents.find((candidate) => isPlainObject(candidate.value) && candidate.value.kind === 'Component') ?? file.documents[0];
    if (!doc || !isPlainObject(doc.value)) return;
    const metadata = isPlainObject(doc.value.metadata) ? doc.value.metadata : {};
    const spec = isPlainObject(doc.value.spec) ? doc.value.spec : {};
    const compare = (actual: unknown, expected: string | undefined, path: string[], what: string, normalize = (text: string) => text) => {
      if (expected === undefined) return;
      if (typeof actual === 'string' && normalize(actual) === expected) return;
      const shown = actual === undefined ? 'nothing' : JSON.stringify(actual);
      context.reportAt(file.path, doc, path, `${what} is ${shown}, but platform.yaml says ${JSON.stringify(expected)}`);
    };
    compare(metadata.name, manifest.name, ['metadata', 'name'], 'metadata.name');
    compare(spec.owner, manifest.owner, ['spec', 'owner'], 'spec.owner', ownerName);
    compare(metadata.description, manifest.description, ['metadata', 'description'], 'metadata.description');
  },
};
