/** Whether a file or a document is in a rule's scope (see Scope in types.ts). */
import picomatch from 'picomatch';
import type { NodePath, RepositoryFile, YamlDocument } from '../validate/types.js';
import type { BuiltResource, KustomizeView, Origin } from './kustomize.js';
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
  /** The document as the check judges it: as written, or as an overlay builds it (`built`). */
  doc: YamlDocument;
  identity?: ResourceIdentity;
  /** Where a finding about the value at a path belongs: the file and node that wrote it. */
  at: (path: NodePath) => Origin;
  /** For a resource as an environment's overlay builds it. */
  built?: BuiltResource;
}

/** A scope that judges resources (by kind or environment) judges them as kustomize builds them. */
export function judgesBuiltResources(scope: Scope): boolean {
  return scope.resources !== undefined || scope.environments !== undefined;
}

/** The document's identity when it is in scope; undefined when it is not (as written: no overlay deploys it). */
export function documentInScope(scope: Scope, file: RepositoryFile, doc: YamlDocument, view: KustomizeView): ScopedDocument | undefined {
  const identity = identityOf(doc.value);
  if (scope.resources) {
    // Patches are fragments of a resource, not resources: they lack what a whole one must have.
    if (!identity || view.isPatch(file.path) || !matchesResource(scope.resources, identity)) return undefined;
  }
  return { file, doc, identity, at: (path) => ({ file: file.path, doc, path }) };
}

/** A built resource when it is in scope. */
export function builtInScope(scope: Scope, resource: BuiltResource, org: OrganizationValues): ScopedDocument | undefined {
  if (!fileInScope(scope, resource.file)) return undefined;
  if (scope.resources && !matchesResource(scope.resources, resource.identity)) return undefined;
  if (scope.environments) {
    const wanted = scope.environments === 'production' ? org.productionEnvironments : scope.environments;
    if (!wanted.includes(resource.environment)) return undefined;
  }
  const doc: YamlDocument = { index: resource.doc.index, value: resource.value, locate: (path) => resource.doc.locate(path) };
  return { file: resource.file, doc, identity: resource.identity, at: (path) => resource.origin(path), built: resource };
}
