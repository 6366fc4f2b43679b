/**
 * A resource as kustomize builds it, where every node remembers the file and node that wrote it: the
 * base document's, or the patch's, or the kustomization field's (`namespace:`, `labels:`, `images:`).
 * Patches and transforms change the tree; `plain()` gives the value checks judge, `origin(path)` the
 * place a finding about `path` belongs. Strategic merge follows Kubernetes' merge keys for the built-in
 * kinds (containers by name, ports by port...) and replaces lists of custom resources, as kustomize does
 * for kinds it has no schema of; JSON 6902 applies add, remove, replace, move and copy (test is skipped).
 */
import type { NodePath, YamlDocument } from '../validate/types.js';
import { isPlainObject } from './select.js';

/** Where a value was set: a node of a document in a file. */
export interface Origin {
  file: string;
  doc: YamlDocument;
  path: NodePath;
}

export type TreeNode =
  | { type: 'scalar'; value: unknown; origin: Origin }
  | { type: 'map'; entries: Map<string, TreeNode>; origin: Origin }
  | { type: 'list'; items: TreeNode[]; origin: Origin };

/** The tree of a plain value, each node's origin at the same path under `origin`. */
export function treeOf(value: unknown, origin: Origin): TreeNode {
  const at = (key: string | number): Origin => ({ ...origin, path: [...origin.path, key] });
  if (Array.isArray(value)) return { type: 'list', items: value.map((item, index) => treeOf(item, at(index))), origin };
  if (isPlainObject(value)) return { type: 'map', entries: new Map(Object.entries(value).map(([key, item]) => [key, treeOf(item, at(key))])), origin };
  return { type: 'scalar', value, origin };
}

export function plain(node: TreeNode): unknown {
  if (node.type === 'scalar') return node.value;
  if (node.type === 'list') return node.items.map(plain);
  const result: Record<string, unknown> = {};
  for (const [key, item] of node.entries) result[key] = plain(item);
  return result;
}

/** The node at a path, or undefined. */
export function nodeAt(root: TreeNode, path: NodePath): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const key of path) {
    if (!node) return undefined;
    if (node.type === 'map') node = node.entries.get(String(key));
    else if (node.type === 'list' && typeof key === 'number') node = node.items[key];
    else return undefined;
  }
  return node;
}

/** Where the value at `path` was written: the deepest existing node's origin, the rest of the path after it. */
export function originAt(root: TreeNode, path: NodePath): Origin {
  let node = root;
  let depth = 0;
  for (const key of path) {
    const next: TreeNode | undefined = node.type === 'map' ? node.entries.get(String(key)) : node.type === 'list' && typeof key === 'number' ? node.items[key] : undefined;
    if (!next) break;
    node = next;
    depth += 1;
  }
  return { ...node.origin, path: [...node.origin.path, ...path.slice(depth)] };
}

/** Set a map entry, creating the maps on the way (each new map takes the origin of what set it). */
export function setAt(root: TreeNode, path: NodePath, value: TreeNode): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node.type === 'list' && typeof key === 'number' && node.items[key]) {
      node = node.items[key]!;
      continue;
    }
    if (node.type !== 'map') return;
    let next = node.entries.get(String(key));
    if (!next || next.type === 'scalar') {
      next = { type: 'map', entries: new Map(), origin: value.origin };
      node.entries.set(String(key), next);
    }
    node = next;
  }
  const last = path[path.length - 1]!;
  if (node.type === 'map') node.entries.set(String(last), value);
  else if (node.type === 'list' && typeof last === 'number' && last < node.items.length) node.items[last] = value;
}

/** Merge keys of the lists of built-in kinds (Kubernetes' `patchMergeKey`), by the list's field name. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

function mergeKeyOf(field: string | undefined, parentField: string | undefined): string | undefined {
  if (field === 'ports') {
    // Container ports merge by containerPort, a Service's by port.
    return parentField === 'spec' ? 'port' : 'containerPort';
  }
  return field ? MERGE_KEYS[field] : undefined;
}

/**
 * A strategic-merge patch into `target`: maps merge, `null` deletes, `$patch: replace|delete` are
 * honoured; lists with a merge key merge item by item (for built-in kinds), other lists are replaced.
 */
export function strategicMerge(target: TreeNode, patch: TreeNode, builtIn: boolean, field?: string, parentField?: string): TreeNode {
  if (patch.type === 'map' && target.type === 'map') {
    const directive = patch.entries.get('$patch');
    if (directive?.type === 'scalar' && directive.value === 'replace') return withoutDirectives(patch);
    for (const [key, value] of patch.entries) {
      if (key.startsWith('$')) continue;
      if (value.type === 'scalar' && value.value === null) {
        target.entries.delete(key);
        continue;
      }
      const existing = target.entries.get(key);
      target.entries.set(key, existing ? strategicMerge(existing, value, builtIn, key, field) : withoutDirectives(value));
    }
    return target;
  }
  if (patch.type === 'list' && target.type === 'list' && builtIn) {
    const key = mergeKeyOf(field, parentField);
    if (key && patch.items.every((item) => item.type === 'map' && item.entries.has(key))) {
      // As kustomize orders them: the patch's items first, in its order (merged into the item of the
      // same key where there is one), then the items it does not name.
      const remaining = [...target.items];
      const items: TreeNode[] = [];
      for (const item of patch.items) {
        if (item.type !== 'map') continue;
        const id = plain(item.entries.get(key)!);
        const index = remaining.findIndex((candidate) => candidate.type === 'map' && candidate.entries.has(key) && plain(candidate.entries.get(key)!) === id);
        const original = index >= 0 ? remaining.splice(index, 1)[0]! : undefined;
        const directive = item.entries.get('$patch');
        if (directive?.type === 'scalar' && directive.value === 'delete') continue;
        items.push(original ? strategicMerge(original, item, builtIn, undefined, field) : withoutDirectives(item));
      }
      return { ...target, items: [...items, ...remaining] };
    }
  }
  return withoutDirectives(patch);
}

function withoutDirectives(node: TreeNode): TreeNode {
  if (node.type === 'map') {
    const entries = new Map<string, TreeNode>();
    for (const [key, value] of node.entries) if (!key.startsWith('$')) entries.set(key, withoutDirectives(value));
    return { ...node, entries };
  }
  if (node.type === 'list') return { ...node, items: node.items.map(withoutDirectives) };
  return node;
}

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: TreeNode;
}

function pointer(text: string): string[] | undefined {
  if (text === '') return [];
  if (!text.startsWith('/')) return undefined;
  return text.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Apply JSON 6902 operations in order; an operation whose path does not exist is skipped. */
export function jsonPatch(root: TreeNode, ops: readonly JsonPatchOp[]): TreeNode {
  let result = root;
  for (const op of ops) {
    const path = pointer(op.path);
    if (!path) continue;
    if (op.op === 'add' || op.op === 'replace') {
      if (op.value) result = put(result, path, op.value, op.op === 'add');
    } else if (op.op === 'remove') {
      result = remove(result, path);
    } else if (op.op === 'copy' || op.op === 'move') {
      const from = op.from === undefined ? undefined : pointer(op.from);
      const source = from ? resolvePointer(result, from) : undefined;
      if (!from || !source) continue;
      if (op.op === 'move') result = remove(result, from);
      result = put(result, path, source, true);
    }
  }
  return result;
}

function resolvePointer(root: TreeNode, path: string[]): TreeNode | undefined {
  return nodeAt(root, path.map((part) => (/^\d+$/.test(part) ? Number(part) : part)));
}

function put(root: TreeNode, path: string[], value: TreeNode, insert: boolean): TreeNode {
  if (path.length === 0) return value;
  const parent = resolvePointer(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (parent?.type === 'map') {
    if (insert || parent.entries.has(last)) parent.entries.set(last, value);
  } else if (parent?.type === 'list') {
    const index = last === '-' ? parent.items.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.items.length) return root;
    if (insert) parent.items.splice(index, 0, value);
    else if (index < parent.items.length) parent.items[index] = value;
  }
  return root;
}

function remove(root: TreeNode, path: string[]): TreeNode {
  const parent = resolvePointer(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (parent?.type === 'map') parent.entries.delete(last);
  else if (parent?.type === 'list' && /^\d+$/.test(last)) parent.items.splice(Number(last), 1);
  return root;
}
