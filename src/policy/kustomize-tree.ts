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

/**
 * A node of the tree. A node is expanded (into `entries` or `items`) only when a patch or transform
 * reaches into it; until then it holds the plain value as written (never changed: expanding copies),
 * and every value under it has its origin at the same path under the node's. Most of a resource is
 * never touched, so building an overlay costs what its patches change, not the size of its resources.
 */
export interface TreeNode {
  origin: Origin;
  /** The plain value, while the node is not expanded. */
  value?: unknown;
  entries?: Map<string, TreeNode>;
  items?: TreeNode[];
}

/** The tree of a plain value, its origin at `origin`. */
export function treeOf(value: unknown, origin: Origin): TreeNode {
  return { origin, value };
}

export function isMap(node: TreeNode): boolean {
  return node.entries !== undefined || (node.items === undefined && isPlainObject(node.value));
}

export function isList(node: TreeNode): boolean {
  return node.items !== undefined || (node.entries === undefined && Array.isArray(node.value));
}

const at = (origin: Origin, key: string | number): Origin => ({ ...origin, path: [...origin.path, key] });

/** Expand a map or list node in place (its children unexpanded); a scalar stays as it is. */
function expand(node: TreeNode): TreeNode {
  if (node.entries || node.items) return node;
  const value = node.value;
  if (Array.isArray(value)) {
    node.items = (value as unknown[]).map((item, index) => ({ origin: at(node.origin, index), value: item }));
    delete node.value;
  } else if (isPlainObject(value)) {
    node.entries = new Map(Object.entries(value).map(([key, item]) => [key, { origin: at(node.origin, key), value: item }]));
    delete node.value;
  }
  return node;
}

export function plain(node: TreeNode): unknown {
  if (node.items) return node.items.map(plain);
  if (node.entries) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of node.entries) result[key] = plain(item);
    return result;
  }
  return node.value;
}

function child(node: TreeNode, key: string | number): TreeNode | undefined {
  if (isMap(node)) {
    if (node.entries) return node.entries.get(String(key));
    const value = node.value as Record<string, unknown>;
    return Object.hasOwn(value, String(key)) ? { origin: at(node.origin, String(key)), value: value[String(key)] } : undefined;
  }
  if (isList(node) && typeof key === 'number') {
    if (node.items) return node.items[key];
    const value = node.value as unknown[];
    return key < value.length ? { origin: at(node.origin, key), value: value[key] } : undefined;
  }
  return undefined;
}

/** The node at a path, or undefined (reading expands nothing). */
export function nodeAt(root: TreeNode, path: NodePath): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const key of path) {
    node = node && child(node, key);
    if (!node) return undefined;
  }
  return node;
}

/** The scalar at a path, or undefined (without building the plain value of the whole tree). */
export function scalarAt(root: TreeNode, path: NodePath): unknown {
  const node = nodeAt(root, path);
  return node && !isMap(node) && !isList(node) ? node.value : undefined;
}

/** Where the value at `path` was written: the deepest expanded node's origin, the rest of the path after it. */
export function originAt(root: TreeNode, path: NodePath): Origin {
  let node = root;
  let depth = 0;
  for (const key of path) {
    if (!node.entries && !node.items) break;
    const next = child(node, key);
    if (!next) break;
    node = next;
    depth += 1;
  }
  return { ...node.origin, path: [...node.origin.path, ...path.slice(depth)] };
}

/** Set a value, creating the maps on the way (each new map takes the origin of what set it). */
export function setAt(root: TreeNode, path: NodePath, value: TreeNode): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    expand(node);
    if (node.items && typeof key === 'number' && node.items[key]) {
      node = node.items[key]!;
      continue;
    }
    if (!node.entries) return;
    let next = node.entries.get(String(key));
    if (!next || (!isMap(next) && !isList(next))) {
      next = { origin: value.origin, entries: new Map() };
      node.entries.set(String(key), next);
    }
    node = next;
  }
  expand(node);
  const last = path[path.length - 1]!;
  if (node.entries) node.entries.set(String(last), value);
  else if (node.items && typeof last === 'number' && last < node.items.length) node.items[last] = value;
}

/** Remove a map entry, if it is there. */
export function deleteAt(root: TreeNode, path: NodePath): void {
  const parent = nodeAt(root, path.slice(0, -1));
  if (!parent || !isMap(parent) || nodeAt(parent, path.slice(-1)) === undefined) return;
  let node = root;
  for (const key of path.slice(0, -1)) node = child(expand(node), key)!;
  expand(node).entries?.delete(String(path[path.length - 1]));
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
  if (isMap(patch) && isMap(target)) {
    expand(patch);
    expand(target);
    const directive = patch.entries!.get('$patch');
    if (directive && directive.value === 'replace') return withoutDirectives(patch);
    for (const [key, value] of patch.entries!) {
      if (key.startsWith('$')) continue;
      if (!value.entries && !value.items && value.value === null) {
        target.entries!.delete(key);
        continue;
      }
      const existing = target.entries!.get(key);
      target.entries!.set(key, existing ? strategicMerge(existing, value, builtIn, key, field) : withoutDirectives(value));
    }
    return target;
  }
  if (isList(patch) && isList(target) && builtIn) {
    const key = mergeKeyOf(field, parentField);
    expand(patch);
    if (key && patch.items!.every((item) => isMap(item) && nodeAt(item, [key]) !== undefined)) {
      expand(target);
      // As kustomize orders them: the patch's items first, in its order (merged into the item of the
      // same key where there is one), then the items it does not name.
      const remaining = [...target.items!];
      const items: TreeNode[] = [];
      for (const item of patch.items!) {
        const id = scalarAt(item, [key]);
        const index = remaining.findIndex((candidate) => isMap(candidate) && scalarAt(candidate, [key]) === id);
        const original = index >= 0 ? remaining.splice(index, 1)[0]! : undefined;
        if (scalarAt(item, ['$patch']) === 'delete') continue;
        items.push(original ? strategicMerge(original, item, builtIn, undefined, field) : withoutDirectives(item));
      }
      return { origin: target.origin, items: [...items, ...remaining] };
    }
  }
  return withoutDirectives(patch);
}

/** A patch's value without its `$patch` directives (copied only where it has some). */
function withoutDirectives(node: TreeNode): TreeNode {
  if (!hasDirectives(node.entries || node.items ? plain(node) : node.value)) return node;
  expand(node);
  if (node.entries) {
    const entries = new Map<string, TreeNode>();
    for (const [key, value] of node.entries) if (!key.startsWith('$')) entries.set(key, withoutDirectives(value));
    return { origin: node.origin, entries };
  }
  return { origin: node.origin, items: node.items!.map(withoutDirectives) };
}

function hasDirectives(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasDirectives);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, item]) => key.startsWith('$') || hasDirectives(item));
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

/** The node at a pointer, expanded on the way so that a change to it stays in the tree. */
function resolvePointer(root: TreeNode, path: string[]): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const part of path) {
    expand(node);
    node = node.entries ? node.entries.get(part) : node.items && /^\d+$/.test(part) ? node.items[Number(part)] : undefined;
    if (!node) return undefined;
  }
  return expand(node);
}

function put(root: TreeNode, path: string[], value: TreeNode, insert: boolean): TreeNode {
  if (path.length === 0) return value;
  const parent = resolvePointer(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (parent?.entries) {
    if (insert || parent.entries.has(last)) parent.entries.set(last, value);
  } else if (parent?.items) {
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
  if (parent?.entries) parent.entries.delete(last);
  else if (parent?.items && /^\d+$/.test(last)) parent.items.splice(Number(last), 1);
  return root;
}
