/**
 * Enough of kustomize to answer the questions policies ask, without running it: which files each
 * environment's overlay deploys, which files are patches rather than resources, and what the replica
 * count and image of each workload are once an overlay's `patches`, `replicas` and `images` apply.
 * Each effective value remembers the node that set it, so a finding points at the line to change.
 * Remote bases are skipped; patch targets match by kind and exact name.
 */
import { posix } from 'node:path';
import { parse } from 'yaml';
import type { NodePath, RepositoryFile, RepositoryModel, YamlDocument } from '../validate/types.js';
import { isPlainObject, valueAt } from './select.js';
import { containersOf, identityOf, podSpecPath, replicaCountPath, SCALABLE_KINDS, type ResourceIdentity } from './workloads.js';
import { append } from '../core/arrays.js';

export const OVERLAYS_DIR = 'deploy/overlays';
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MAX_DEPTH = 20;

/** Where a value was set: a node of a document in a file. */
export interface Origin {
  file: string;
  doc: YamlDocument;
  path: NodePath;
}

export interface ImageSetting {
  image: string;
  /** The node that set the tag (or digest) in effect, or the image itself when nothing changed it. */
  tagOrigin: Origin;
}

export interface BuiltResource {
  file: RepositoryFile;
  doc: YamlDocument;
  identity: ResourceIdentity;
  replicas?: { value: unknown; origin: Origin };
  /** By container path (`spec.template.spec.containers.0`); a Cluster's `spec.imageName` is not one. */
  images: Map<string, ImageSetting>;
}

export interface KustomizeView {
  /** Environments that have a folder under deploy/overlays/. */
  environments: string[];
  overlayFile(env: string): RepositoryFile | undefined;
  /** The environments whose overlay deploys this file (or whose folder holds it). */
  environmentsOf(path: string): string[];
  /** Files that kustomizations use as patches: they are fragments, not resources. */
  isPatch(path: string): boolean;
  /** The resources an environment's overlay builds, with their effective replicas and images. */
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
  const patchFiles = new Set<string>();
  for (const file of model.files) {
    if (file.kind !== 'kustomization') continue;
    const value = file.documents[0]?.value;
    if (!isPlainObject(value)) continue;
    const dir = posix.dirname(file.path);
    for (const entry of patchEntries(value)) {
      if (entry.path) patchFiles.add(joinInside(dir, entry.path) ?? '');
    }
  }
  const builds = new Map<string, { resources: BuiltResource[]; files: Set<string> }>();
  const buildEnv = (env: string) => {
    let built = builds.get(env);
    if (!built) {
      const files = new Set<string>();
      built = { resources: buildDir(model, `${OVERLAYS_DIR}/${env}`, new Set(), 0, files), files };
      builds.set(env, built);
    }
    return built;
  };
  return {
    environments,
    overlayFile: (env) => kustomizationIn(model, `${OVERLAYS_DIR}/${env}`),
    environmentsOf: (path) => environments.filter((env) => overlayEnvOf(path) === env || buildEnv(env).files.has(path)),
    isPatch: (path) => patchFiles.has(path),
    build: (env) => buildEnv(env).resources,
  };
}

function overlayEnvOf(path: string): string | undefined {
  const match = /^deploy\/overlays\/([^/]+)\//.exec(path);
  return match?.[1];
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

/** Resources of one kustomization folder, its own transforms applied. */
function buildDir(model: RepositoryModel, dir: string, visiting: Set<string>, depth: number, files: Set<string>): BuiltResource[] {
  const kustomization = kustomizationIn(model, dir);
  const doc = kustomization?.documents[0];
  if (!kustomization || !doc || !isPlainObject(doc.value) || visiting.has(dir) || depth > MAX_DEPTH) return [];
  files.add(kustomization.path);
  visiting.add(dir);
  const resources: BuiltResource[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    for (const entry of strings(doc.value[key])) {
      const target = joinInside(dir, entry);
      if (!target) continue;
      const file = model.file(target);
      if (file) {
        files.add(file.path);
        for (const resourceDoc of file.documents) {
          const built = fromDocument(file, resourceDoc);
          if (built) resources.push(built);
        }
      } else {
        append(resources, buildDir(model, target, visiting, depth + 1, files));
      }
    }
  }
  visiting.delete(dir);
  applyTransforms(model, dir, kustomization, doc, resources, files);
  return resources;
}

function fromDocument(file: RepositoryFile, doc: YamlDocument): BuiltResource | undefined {
  const identity = identityOf(doc.value);
  if (!identity) return undefined;
  const built: BuiltResource = { file, doc, identity: { ...identity }, images: new Map() };
  const countPath = replicaCountPath(identity) ?? ['spec', 'replicas'];
  const replicas = valueAt(doc.value, countPath);
  if (replicas !== undefined) built.replicas = { value: replicas, origin: { file: file.path, doc, path: countPath } };
  for (const container of containersOf(doc.value)) {
    if (typeof container.value.image === 'string') {
      built.images.set(container.path.join('.'), { image: container.value.image, tagOrigin: { file: file.path, doc, path: [...container.path, 'image'] } });
    }
  }
  return built;
}

interface PatchEntry {
  path?: string;
  inline?: string;
  target?: Record<string, unknown>;
  /** Where the entry is in the kustomization, for patches written inline. */
  at: NodePath;
}

function patchEntries(value: Record<string, unknown>): PatchEntry[] {
  const entries: PatchEntry[] = [];
  (Array.isArray(value.patchesStrategicMerge) ? value.patchesStrategicMerge : []).forEach((item, index) => {
    // An entry is a file path, or an inline patch when it spans lines.
    if (typeof item === 'string') entries.push(item.includes('\n') ? { inline: item, at: ['patchesStrategicMerge', index] } : { path: item, at: ['patchesStrategicMerge', index] });
  });
  for (const key of ['patches', 'patchesJson6902']) {
    (Array.isArray(value[key]) ? (value[key] as unknown[]) : []).forEach((item, index) => {
      if (!isPlainObject(item)) return;
      const target = isPlainObject(item.target) ? item.target : undefined;
      if (typeof item.path === 'string') entries.push({ path: item.path, target, at: [key, index, 'path'] });
      else if (typeof item.patch === 'string') entries.push({ inline: item.patch, target, at: [key, index, 'patch'] });
    });
  }
  return entries;
}

/** In kustomize's order: patches, name prefix and suffix, then the replicas and images fields. */
function applyTransforms(model: RepositoryModel, dir: string, kustomization: RepositoryFile, doc: YamlDocument, resources: BuiltResource[], files: Set<string>): void {
  const value = doc.value as Record<string, unknown>;
  for (const entry of patchEntries(value)) {
    if (entry.path) {
      const patchPath = joinInside(dir, entry.path);
      const file = patchPath ? model.file(patchPath) : undefined;
      if (!file) continue;
      files.add(file.path);
      for (const patchDoc of file.documents) {
        applyPatch(resources, patchDoc.value, entry.target, (path) => ({ file: file.path, doc: patchDoc, path }));
      }
    } else if (entry.inline) {
      let patch: unknown;
      try {
        patch = parse(entry.inline, { maxAliasCount: 10 });
      } catch {
        continue;
      }
      applyPatch(resources, patch, entry.target, () => ({ file: kustomization.path, doc, path: entry.at }));
    }
  }
  const prefix = typeof value.namePrefix === 'string' ? value.namePrefix : '';
  const suffix = typeof value.nameSuffix === 'string' ? value.nameSuffix : '';
  if (prefix || suffix) for (const resource of resources) resource.identity.name = `${prefix}${resource.identity.name}${suffix}`;
  (Array.isArray(value.replicas) ? value.replicas : []).forEach((item, index) => {
    if (!isPlainObject(item) || !('count' in item)) return;
    for (const resource of resources) {
      if (resource.identity.name === item.name && SCALABLE_KINDS.includes(resource.identity.kind)) {
        resource.replicas = { value: item.count, origin: { file: kustomization.path, doc, path: ['replicas', index, 'count'] } };
      }
    }
  });
  (Array.isArray(value.images) ? value.images : []).forEach((item, index) => {
    if (!isPlainObject(item) || typeof item.name !== 'string') return;
    for (const resource of resources) {
      for (const [key, setting] of resource.images) {
        const image = splitImage(setting.image);
        if (image.name !== item.name) continue;
        const name = typeof item.newName === 'string' ? item.newName : image.name;
        const origin = (field: string): Origin => ({ file: kustomization.path, doc, path: ['images', index, field] });
        if (typeof item.digest === 'string') resource.images.set(key, { image: `${name}@${item.digest}`, tagOrigin: origin('digest') });
        else if (item.newTag !== undefined) resource.images.set(key, { image: `${name}:${String(item.newTag)}`, tagOrigin: origin('newTag') });
        else resource.images.set(key, { image: joinImage({ ...image, name }), tagOrigin: setting.tagOrigin });
      }
    }
  });
}

function applyPatch(resources: BuiltResource[], patch: unknown, target: Record<string, unknown> | undefined, origin: (path: NodePath) => Origin): void {
  if (Array.isArray(patch)) {
    // A JSON 6902 patch: a list of operations for the resources its target names.
    for (const resource of resources.filter((r) => targetMatches(target, r.identity))) {
      patch.forEach((op, index) => {
        if (!isPlainObject(op) || (op.op !== 'replace' && op.op !== 'add') || typeof op.path !== 'string') return;
        const countPath = replicaCountPath(resource.identity) ?? ['spec', 'replicas'];
        if (op.path === `/${countPath.join('/')}`) resource.replicas = { value: op.value, origin: origin([index, 'value']) };
        const image = /^(.*\/containers\/\d+)\/image$/.exec(op.path);
        const key = image ? image[1]!.slice(1).split('/').join('.') : undefined;
        if (key && resource.images.has(key) && typeof op.value === 'string') resource.images.set(key, { image: op.value, tagOrigin: origin([index, 'value']) });
      });
    }
    return;
  }
  const identity = identityOf(patch);
  if (!identity) return;
  const matches = resources.filter((r) => (target ? targetMatches(target, r.identity) : r.identity.kind === identity.kind && r.identity.name === identity.name));
  for (const resource of matches) {
    const countPath = replicaCountPath(resource.identity) ?? ['spec', 'replicas'];
    const replicas = valueAt(patch, countPath);
    if (replicas !== undefined) resource.replicas = { value: replicas, origin: origin(countPath) };
    // Strategic merge: containers merge by name.
    const podPath = podSpecPath(resource.identity.kind);
    for (const patched of containersOf({ ...(patch as object), kind: resource.identity.kind })) {
      if (typeof patched.value.image !== 'string' || !podPath) continue;
      const list = patched.path[patched.path.length - 2] as string;
      const original = containersOf(resource.doc.value).find((c) => c.name === patched.name && c.path[c.path.length - 2] === list);
      if (original) resource.images.set(original.path.join('.'), { image: patched.value.image, tagOrigin: origin([...patched.path, 'image']) });
    }
  }
}

function targetMatches(target: Record<string, unknown> | undefined, identity: ResourceIdentity): boolean {
  if (!target) return false;
  if (typeof target.kind === 'string' && target.kind !== identity.kind) return false;
  if (typeof target.name === 'string' && target.name !== identity.name) return false;
  return true;
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
