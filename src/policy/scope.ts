/** Whether a file or a document is in a rule's scope (see Scope in types.ts). */
import picomatch from 'picomatch';
import type { RepositoryFile, YamlDocument } from '../validate/types.js';
import type { KustomizeView } from './kustomize.js';
import type { OrganizationValues } from './organization.js';
import type { Scope } from './types.js';
import { identityOf, matchesResource, type ResourceIdentity } from './workloads.js';

const matchers = new Map<string, (path: string) => boolean>();

function glob(pattern: string): (path: string) => boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true });
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/** A scope that names resources looks at Kubernetes files unless it says otherwise. */
export function fileKindsOf(scope: Scope): string[] | undefined {
  return scope.files ?? (scope.resources || scope.environments ? ['kubernetes'] : undefined);
}

export function fileInScope(scope: Scope, file: RepositoryFile): boolean {
  const kinds = fileKindsOf(scope);
  if (kinds && !kinds.includes(file.kind)) return false;
  if (scope.paths && !scope.paths.some((pattern) => glob(pattern)(file.path))) return false;
  if (scope.excludePaths?.some((pattern) => glob(pattern)(file.path))) return false;
  return true;
}

export interface ScopedDocument {
  file: RepositoryFile;
  doc: YamlDocument;
  identity?: ResourceIdentity;
}

/** The document's identity when it is in scope; undefined when it is not. */
export function documentInScope(scope: Scope, file: RepositoryFile, doc: YamlDocument, view: KustomizeView, org: OrganizationValues): ScopedDocument | undefined {
  const identity = identityOf(doc.value);
  if (scope.resources) {
    // Patches are fragments of a resource, not resources: they lack what a whole one must have.
    if (!identity || view.isPatch(file.path) || !matchesResource(scope.resources, identity)) return undefined;
  }
  if (scope.environments) {
    // Only what those environments' overlays deploy (building the overlays costs: only when asked).
    const wanted = scope.environments === 'production' ? org.productionEnvironments : scope.environments;
    if (!view.environmentsOf(file.path).some((env) => wanted.includes(env))) return undefined;
  }
  return { file, doc, identity };
}
