/**
 * kustomize, modelled in-process: which files each environment's overlay deploys, which files are
 * patches rather than resources (the one answer to that question, for every check), and every resource
 * an overlay builds, with each value's origin (see kustomize-tree.ts): `resources`/`bases`/`components`,
 * `patches` (file or inline, strategic merge or JSON 6902, with targets), the legacy `patchesStrategicMerge`
 * and `patchesJson6902`, `namespace`, `namePrefix`/`nameSuffix`, `commonLabels`, `labels`,
 * `commonAnnotations`, `replicas` and `images`. Remote bases are skipped. Why a model rather than
 * `kubectl kustomize`: docs/kustomize.md.
 */
import { posix } from 'node:path';
import { RE2JS } from 're2js';
import { parseYamlText } from '../validate/parse.js';
import type { NodePath, Range, RepositoryFile, RepositoryModel, YamlDocument } from '../validate/types.js';
import { isPlainObject } from './select.js';
import { deleteAt, isList, isMap, jsonPatch, nodeAt, originAt, plain, scalarAt, setAt, strategicMerge, treeOf, type JsonPatchOp, type Origin, type TreeNode } from './kustomize-tree.js';
import { containersOf, identityOf, podSpecPath, replicaCountPath, SCALABLE_KINDS, type ResourceIdentity } from './workloads.js';
import { append } from '../core/arrays.js';

export type { Origin } from './kustomize-tree.js';

export const OVERLAYS_DIR = 'deploy/overlays';
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MAX_DEPTH = 20;
/** API groups whose kinds kustomize merges with Kubernetes' merge keys; other kinds' lists are replaced. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'ClusterSecretStore', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

export interface ImageSetting {
  image: string;
  /** The node that set the tag (or digest) in effect, or the image itself when nothing changed it. */
  tagOrigin: Origin;
}

export interface BuiltResource {
  /** The file and document the resource comes from (its base). */
  file: RepositoryFile;
  doc: YamlDocument;
  identity: ResourceIdentity;
  /** The environment whose overlay built it. */
  environment: string;
  /** The resource as the overlay deploys it. */
  value: unknown;
  /** Where the value at a path was written (a patch's node when a patch set it). */
  origin(path: NodePath): Origin;
  replicas?: { value: unknown; origin: Origin };
  /** By container path (`spec.template.spec.containers.0`). */
  images: Map<string, ImageSetting>;
}

/** What a kustomization uses a file for, when it names it as a patch. */
export type PatchKind = 'strategic-merge' | 'json6902';

export interface KustomizeView {
  /** Environments that have a folder under deploy/overlays/. */
  environments: string[];
  overlayFile(env: string): RepositoryFile | undefined;
  /** The environments whose overlay deploys this file (or whose folder holds it). */
  environmentsOf(path: string): string[];
  /** The environments whose overlay build reads this file (as a resource, patch or kustomization). */
  deployedBy(path: string): string[];
  /** Files that kustomizations use as patches: fragments, not resources. */
  isPatch(path: string): boolean;
  /** How the file is used as a patch (a list of operations is JSON 6902 whatever field names it). */
  patchKind(path: string): PatchKind | undefined;
  /** Whether a patch document changes a resource in some environment's build (a patch that matches none changes nothing). */
  patchApplies(doc: YamlDocument): boolean;
  /** The resources an environment's overlay builds. */
  build(env: string): BuiltResource[];
}

const cache = new WeakMap<RepositoryModel, KustomizeView>();

export function kustomizeView(model: RepositoryModel): KustomizeView {
  let view = cache.get(model);
  if (!view) {
    view = createView(model);
    cache.set(model, view);
  }
  return view;
}

function createView(model: RepositoryModel): KustomizeView {
  const environments = [...new Set(model.files.map((file) => overlayEnvOf(file.path)).filter((env): env is string => !!env))].sort();
  const patchKinds = new Map<string, PatchKind>();
  for (const file of model.files) {
    if (file.kind !== 'kustomization') continue;
    const value = file.documents[0]?.value;
    if (!isPlainObject(value)) continue;
    for (const entry of patchEntries(file.documents[0]!)) {
      const path = entry.path ? joinInside(posix.dirname(file.path), entry.path) : undefined;
      if (!path) continue;
      const isList = model.file(path)?.documents.some((doc) => Array.isArray(doc.value));
      patchKinds.set(path, isList || entry.field === 'patchesJson6902' ? 'json6902' : 'strategic-merge');
    }
  }
  const builds = new Map<string, { resources: BuiltResource[]; files: Set<string> }>();
  /** The patch documents that changed a resource, in any environment built so far. */
  const applied = new Set<YamlDocument>();
  const buildEnv = (env: string) => {
    let built = builds.get(env);
    if (!built) {
      const reads: Reads = { files: new Set(), applied };
      const working = buildDir(model, `${OVERLAYS_DIR}/${env}`, new Set(), 0, reads);
      built = { resources: working.map((resource) => finish(resource, env)), files: reads.files };
      builds.set(env, built);
    }
    return built;
  };
  return {
    environments,
    overlayFile: (env) => kustomizationIn(model, `${OVERLAYS_DIR}/${env}`),
    environmentsOf: (path) => environments.filter((env) => overlayEnvOf(path) === env || buildEnv(env).files.has(path)),
    deployedBy: (path) => environments.filter((env) => buildEnv(env).files.has(path)),
    isPatch: (path) => patchKinds.has(path),
    patchKind: (path) => patchKinds.get(path),
    patchApplies: (doc) => {
      for (const env of environments) buildEnv(env);
      return applied.has(doc);
    },
    build: (env) => buildEnv(env).resources,
  };
}

/** What an environment's build read: its files, and the patch documents that changed a resource. */
interface Reads {
  files: Set<string>;
  applied: Set<YamlDocument>;
}

/** A resource being built: its tree changes as the kustomizations on the way apply. */
interface Working {
  file: RepositoryFile;
  doc: YamlDocument;
  tree: TreeNode;
  name: string;
}

function finish(resource: Working, environment: string): BuiltResource {
  const value = plain(resource.tree);
  const identity = identityOf(value) ?? { apiVersion: '', kind: '', name: '' };
  identity.name = resource.name;
  const origin = (path: NodePath) => originAt(resource.tree, path);
  const built: BuiltResource = { file: resource.file, doc: resource.doc, identity, environment, value, origin, images: new Map() };
  // A Deployment's replicas, a CloudNativePG Cluster's instances (workloads.ts decides which).
  const replicas = nodeAt(resource.tree, replicaCountPath(built.identity) ?? ['spec', 'replicas']);
  if (replicas && !isMap(replicas) && !isList(replicas)) built.replicas = { value: replicas.value, origin: replicas.origin };
  for (const container of containersOf(value)) {
    const image = nodeAt(resource.tree, [...container.path, 'image']);
    if (image && typeof image.value === 'string') built.images.set(container.path.join('.'), { image: image.value, tagOrigin: tagOrigins.get(image) ?? image.origin });
  }
  return built;
}

/** For an image whose name alone an `images:` entry changed: the tag still comes from where it was written. */
const tagOrigins = new WeakMap<TreeNode, Origin>();

function overlayEnvOf(path: string): string | undefined {
  return /^deploy\/overlays\/([^/]+)\//.exec(path)?.[1];
}

function kustomizationIn(model: RepositoryModel, dir: string): RepositoryFile | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const file = model.file(`${dir}/${name}`);
    if (file) return file;
  }
  return undefined;
}

function joinInside(dir: string, entry: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@') || entry.includes('?ref=') || entry.startsWith('github.com/')) return undefined;
  const joined = posix.normalize(posix.join(dir, entry));
  return joined.startsWith('../') || joined === '..' || joined.startsWith('/') ? undefined : joined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The resources of a file: each document, a `kind: List` item by item. */
export function resourcesOf(file: RepositoryFile): Array<{ doc: YamlDocument; value: unknown; path: NodePath }> {
  const found: Array<{ doc: YamlDocument; value: unknown; path: NodePath }> = [];
  for (const doc of file.documents) {
    const value = doc.value;
    if (isPlainObject(value) && value.kind === 'List' && Array.isArray(value.items)) value.items.forEach((item, index) => found.push({ doc, value: item, path: ['items', index] }));
    else found.push({ doc, value, path: [] });
  }
  return found;
}

/** Resources of one kustomization folder, its own transforms applied. */
function buildDir(model: RepositoryModel, dir: string, visiting: Set<string>, depth: number, reads: Reads): Working[] {
  const { files } = reads;
  const kustomization = kustomizationIn(model, dir);
  const doc = kustomization?.documents[0];
  if (!kustomization || !doc || !isPlainObject(doc.value) || visiting.has(dir) || depth > MAX_DEPTH) return [];
  files.add(kustomization.path);
  visiting.add(dir);
  const resources: Working[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    for (const entry of strings(doc.value[key])) {
      const target = joinInside(dir, entry);
      if (!target) continue;
      const file = model.file(target);
      if (file) {
        files.add(file.path);
        for (const { doc: resourceDoc, value, path } of resourcesOf(file)) {
          const identity = identityOf(value);
          if (identity) resources.push({ file, doc: resourceDoc, tree: treeOf(value, { file: file.path, doc: resourceDoc, path }), name: identity.name });
        }
      } else {
        append(resources, buildDir(model, target, visiting, depth + 1, reads));
      }
    }
  }
  visiting.delete(dir);
  applyTransforms(model, dir, kustomization, doc, resources, reads);
  return resources;
}

interface PatchEntry {
  field: 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';
  path?: string;
  inline?: string;
  target?: Record<string, unknown>;
  /** Where the entry's patch (its path, or the inline text) is in the kustomization. */
  at: NodePath;
}

function patchEntries(doc: YamlDocument): PatchEntry[] {
  const value = doc.value as Record<string, unknown>;
  const entries: PatchEntry[] = [];
  (Array.isArray(value.patchesStrategicMerge) ? value.patchesStrategicMerge : []).forEach((item, index) => {
    // The legacy field: a file path, or an inline patch when it spans lines (as kustomize reads it).
    const at = ['patchesStrategicMerge', index];
    if (typeof item === 'string') entries.push(item.includes('\n') ? { field: 'patchesStrategicMerge', inline: item, at } : { field: 'patchesStrategicMerge', path: item, at });
  });
  for (const field of ['patches', 'patchesJson6902'] as const) {
    (Array.isArray(value[field]) ? (value[field] as unknown[]) : []).forEach((item, index) => {
      // kustomize refuses a bare string here (the kustomization schema says so); it patches nothing.
      if (!isPlainObject(item)) return;
      const target = isPlainObject(item.target) ? item.target : undefined;
      if (typeof item.path === 'string') entries.push({ field, path: item.path, target, at: [field, index, 'path'] });
      else if (typeof item.patch === 'string') entries.push({ field, inline: item.patch, target, at: [field, index, 'patch'] });
    });
  }
  return entries;
}

/** In kustomize's order: patches, then namespace, names, labels, annotations, replicas and images. */
function applyTransforms(model: RepositoryModel, dir: string, kustomization: RepositoryFile, doc: YamlDocument, resources: Working[], reads: Reads): void {
  const value = doc.value as Record<string, unknown>;
  const own = (path: NodePath): Origin => ({ file: kustomization.path, doc, path });
  for (const entry of patchEntries(doc)) {
    let patchDocs: Array<{ file: string; doc: YamlDocument }> = [];
    if (entry.path) {
      const patchPath = joinInside(dir, entry.path);
      const file = patchPath ? model.file(patchPath) : undefined;
      if (!file) continue;
      reads.files.add(file.path);
      patchDocs = file.documents.map((patchDoc) => ({ file: file.path, doc: patchDoc }));
    } else if (entry.inline) {
      patchDocs = inlineDocuments(kustomization, doc, entry.at, entry.inline);
    }
    for (const patch of patchDocs) if (applyPatch(resources, patch.doc, patch.file, entry.target)) reads.applied.add(patch.doc);
  }
  if (typeof value.namespace === 'string') {
    for (const resource of resources) {
      const kind = scalarAt(resource.tree, ['kind']);
      if (kind !== undefined && !CLUSTER_SCOPED.has(String(kind))) setAt(resource.tree, ['metadata', 'namespace'], { value: value.namespace, origin: own(['namespace']) });
    }
  }
  const prefix = typeof value.namePrefix === 'string' ? value.namePrefix : '';
  const suffix = typeof value.nameSuffix === 'string' ? value.nameSuffix : '';
  if (prefix || suffix) for (const resource of resources) resource.name = `${prefix}${resource.name}${suffix}`;
  const labelSets: Array<{ pairs: Record<string, unknown>; at: NodePath; selectors: boolean; templates: boolean }> = [];
  if (isPlainObject(value.commonLabels)) labelSets.push({ pairs: value.commonLabels, at: ['commonLabels'], selectors: true, templates: true });
  (Array.isArray(value.labels) ? value.labels : []).forEach((item, index) => {
    if (isPlainObject(item) && isPlainObject(item.pairs)) labelSets.push({ pairs: item.pairs, at: ['labels', index, 'pairs'], selectors: item.includeSelectors === true, templates: item.includeSelectors === true || item.includeTemplates === true });
  });
  for (const set of labelSets) for (const resource of resources) addLabels(resource, set.pairs, own, set.at, set.selectors, set.templates);
  if (isPlainObject(value.commonAnnotations)) {
    for (const resource of resources) addLabels(resource, value.commonAnnotations, own, ['commonAnnotations'], false, true, 'annotations');
  }
  (Array.isArray(value.replicas) ? value.replicas : []).forEach((item, index) => {
    if (!isPlainObject(item) || !('count' in item)) return;
    for (const resource of resources) {
      const kind = scalarAt(resource.tree, ['kind']);
      if (resource.name === item.name && SCALABLE_KINDS.includes(String(kind))) setAt(resource.tree, ['spec', 'replicas'], { value: item.count, origin: own(['replicas', index, 'count']) });
    }
  });
  const images = Array.isArray(value.images) ? value.images : [];
  // Where each resource's containers are, found once per kustomization (an image change does not move them).
  const containers = new Map(images.length > 0 ? resources.map((resource) => [resource, containersOf(plain(resource.tree))] as const) : []);
  images.forEach((item, index) => {
    if (!isPlainObject(item) || typeof item.name !== 'string') return;
    for (const resource of resources) {
      for (const container of containers.get(resource) ?? []) {
        const node = nodeAt(resource.tree, [...container.path, 'image']);
        if (typeof node?.value !== 'string') continue;
        const image = splitImage(node.value);
        if (image.name !== item.name) continue;
        const name = typeof item.newName === 'string' ? item.newName : image.name;
        let next: TreeNode;
        if (typeof item.digest === 'string') next = { value: `${name}@${item.digest}`, origin: own(['images', index, 'digest']) };
        else if (item.newTag !== undefined) next = { value: `${name}:${String(item.newTag)}`, origin: own(['images', index, 'newTag']) };
        else {
          next = { value: joinImage({ ...image, name }), origin: own(['images', index, 'newName']) };
          tagOrigins.set(next, tagOrigins.get(node) ?? node.origin);
        }
        setAt(resource.tree, [...container.path, 'image'], next);
      }
    }
  });
}

/** Labels (or annotations) on the resource, and on its selectors and pod template where asked. */
function addLabels(resource: Working, pairs: Record<string, unknown>, own: (path: NodePath) => Origin, at: NodePath, selectors: boolean, templates: boolean, field = 'labels'): void {
  const kind = String(scalarAt(resource.tree, ['kind']));
  const podSpec = podSpecPath(kind);
  const targets: NodePath[] = [['metadata', field]];
  if (templates && podSpec && podSpec.length > 1) targets.push([...podSpec.slice(0, -1), 'metadata', field]);
  if (selectors && field === 'labels') {
    if (kind === 'Service') targets.push(['spec', 'selector']);
    else if (podSpec && kind !== 'Pod' && kind !== 'Job' && kind !== 'CronJob') targets.push(['spec', 'selector', 'matchLabels']);
  }
  for (const path of targets) {
    for (const [key, label] of Object.entries(pairs)) setAt(resource.tree, [...path, key], { value: label, origin: own([...at, key]) });
  }
}

/**
 * The documents of an inline patch, each located in the kustomization: the patch's own line and column
 * moved to where its text sits in the block scalar.
 */
function inlineDocuments(kustomization: RepositoryFile, doc: YamlDocument, at: NodePath, text: string): Array<{ file: string; doc: YamlDocument }> {
  const block = doc.locate(at);
  const lines = kustomization.text.split('\n');
  // A block scalar (`patch: |`) starts on the line after its indicator; a quoted one where it is.
  const indicator = lines[block.line - 1]?.slice(block.column - 1) ?? '';
  const isBlock = /^[|>]/.test(indicator);
  const firstLine = isBlock ? block.line + 1 : block.line;
  const firstText = lines.slice(firstLine - 1).find((line) => line.trim() !== '') ?? '';
  const indent = isBlock ? firstText.length - firstText.trimStart().length : block.column;
  const shift = (range: Range): Range => ({ line: range.line + firstLine - 1, column: range.column + indent, endLine: range.endLine + firstLine - 1, endColumn: range.endColumn + indent });
  const parsed = parseYamlText(kustomization.path, text);
  return parsed.documents.map((inner) => ({
    file: kustomization.path,
    doc: {
      index: inner.index,
      value: inner.value,
      locate: (path: NodePath) => (isBlock ? shift(inner.locate(path)) : block),
      locateKey: (path: NodePath) => {
        const range = inner.locateKey?.(path);
        return range && isBlock ? shift(range) : undefined;
      },
    },
  }));
}

/** Whether the patch matched a resource. */
function applyPatch(resources: Working[], patchDoc: YamlDocument, file: string, target: Record<string, unknown> | undefined): boolean {
  const patch = patchDoc.value;
  const origin = (path: NodePath): Origin => ({ file, doc: patchDoc, path });
  if (Array.isArray(patch)) {
    // JSON 6902: a list of operations for the resources its target names.
    const ops: JsonPatchOp[] = [];
    patch.forEach((op, index) => {
      if (!isPlainObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') return;
      ops.push({ op: op.op, path: op.path, from: typeof op.from === 'string' ? op.from : undefined, value: 'value' in op ? treeOf(op.value, origin([index, 'value'])) : undefined });
    });
    let matched = false;
    for (const resource of resources) {
      if (!target || !targetMatches(target, resource)) continue;
      matched = true;
      // Each resource gets its own copy of the values (a later patch may change one and not the other).
      resource.tree = jsonPatch(resource.tree, ops.map((op) => ({ ...op, value: op.value && treeOf(plain(op.value), op.value.origin) })));
    }
    return matched;
  }
  const identity = identityOf(patch);
  if (!identity) return false;
  let matched = false;
  for (const resource of resources) {
    const matches = target ? targetMatches(target, resource) : sameResource(identity, resource);
    if (!matches) continue;
    matched = true;
    const group = String(scalarAt(resource.tree, ['apiVersion']) ?? '').split('/');
    const builtIn = BUILT_IN_GROUPS.has(group.length > 1 ? group[0]! : '');
    const patchTree = treeOf(patch, origin([]));
    // The patch names the resource; it does not rename it.
    deleteAt(patchTree, ['metadata', 'name']);
    resource.tree = strategicMerge(resource.tree, patchTree, builtIn);
  }
  return matched;
}

function sameResource(identity: ResourceIdentity, resource: Working): boolean {
  return identity.name === resource.name && identity.kind === scalarAt(resource.tree, ['kind']);
}

/** kustomize's patch target: group, version, kind, name and namespace as anchored regular expressions, label selectors by equality. */
function targetMatches(target: Record<string, unknown>, resource: Working): boolean {
  const written = scalarAt(resource.tree, ['apiVersion']);
  const apiVersion = typeof written === 'string' ? written : '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const fields: Array<[string, string]> = [['group', group!], ['version', version!], ['kind', String(scalarAt(resource.tree, ['kind']) ?? '')], ['name', resource.name], ['namespace', String(scalarAt(resource.tree, ['metadata', 'namespace']) ?? '')]];
  for (const [field, actual] of fields) {
    const wanted = target[field];
    if (typeof wanted === 'string' && wanted !== '' && !anchored(wanted).matches(actual)) return false;
  }
  for (const [field, path] of [['labelSelector', ['metadata', 'labels']], ['annotationSelector', ['metadata', 'annotations']]] as const) {
    const selector = target[field];
    if (typeof selector !== 'string') continue;
    const node = nodeAt(resource.tree, path);
    const source = node ? plain(node) : undefined;
    const have = isPlainObject(source) ? source : {};
    for (const term of selector.split(',').map((part) => part.trim()).filter(Boolean)) {
      const [key, wantedValue] = term.split(/!?=/);
      const negated = term.includes('!=');
      const present = Object.hasOwn(have, key!.trim()) && (wantedValue === undefined || String(have[key!.trim()]) === wantedValue.trim());
      if (negated === present) return false;
    }
  }
  return true;
}

const patterns = new Map<string, RE2JS>();

/** Linear-time matching (re2js): a target pattern cannot hang the validator. */
function anchored(pattern: string): RE2JS {
  let compiled = patterns.get(pattern);
  if (!compiled) {
    try {
      compiled = RE2JS.compile(`^(?:${pattern})$`);
    } catch {
      compiled = RE2JS.compile(`^${RE2JS.quote(pattern)}$`);
    }
    patterns.set(pattern, compiled);
  }
  return compiled;
}

export interface ImageParts {
  name: string;
  tag?: string;
  digest?: string;
}

/** `registry:5000/team/app:1.2@sha256:...` into name, tag and digest (a registry port is not a tag). */
export function splitImage(image: string): ImageParts {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

function joinImage(parts: ImageParts): string {
  return `${parts.name}${parts.tag !== undefined ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
}
