import { isMap, isSeq, type Document } from 'yaml';
import semver from 'semver';
import { UserError } from '../core/errors.js';

/**
 * Migrations of the answers, declared as data in a template version's `template.yaml`:
 *
 *   migrations:
 *     - from: "<2.0.0"                      # the recorded versions it applies to (a semver range)
 *       rename: { from: metadata.team, to: metadata.owner }
 *     - from: "<2.0.0"
 *       default: { path: "spec.databases[*].size", value: small }
 *     - from: "<2.0.0"
 *       drop: spec.legacy
 *
 * A path is dotted keys; `[*]` visits every item of a list. They run in the order listed, on the
 * platform.yaml document (so its comments and layout survive) and on the recorded answers alike.
 */
export type Migration =
  | { from: string; description?: string; rename: { from: string; to: string } }
  | { from: string; description?: string; default: { path: string; value: unknown } }
  | { from: string; description?: string; drop: string };

type Key = string | number;

/** Check the migrations of a template.yaml; a bad one is an error naming the file and its index. */
export function parseMigrations(value: unknown, file: string): Migration[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UserError('migrations: expected a list', file);
  return value.map((entry, index) => {
    const where = `migrations.${index}`;
    const item = entry as Record<string, unknown>;
    if (typeof item !== 'object' || item === null) throw new UserError(`${where}: expected a mapping`, file);
    if (typeof item.from !== 'string' || semver.validRange(item.from) === null) {
      throw new UserError(`${where}.from: expected the semver range of the recorded versions it applies to, such as "<2.0.0"`, file);
    }
    const kinds = ['rename', 'default', 'drop'].filter((kind) => kind in item);
    if (kinds.length !== 1) throw new UserError(`${where}: expected exactly one of rename, default, drop`, file);
    const rename = item.rename as { from?: unknown; to?: unknown } | undefined;
    if (kinds[0] === 'rename' && (typeof rename?.from !== 'string' || typeof rename.to !== 'string')) {
      throw new UserError(`${where}.rename: expected { from: PATH, to: PATH }`, file);
    }
    const fallback = item.default as { path?: unknown } | undefined;
    if (kinds[0] === 'default' && (typeof fallback?.path !== 'string' || !('value' in (fallback as object)))) {
      throw new UserError(`${where}.default: expected { path: PATH, value: VALUE }`, file);
    }
    if (kinds[0] === 'drop' && typeof item.drop !== 'string') throw new UserError(`${where}.drop: expected a PATH`, file);
    for (const path of [rename?.from, rename?.to, fallback?.path, item.drop]) {
      if (typeof path === 'string') parsePath(path, `${file}: ${where}`);
    }
    if (rename && !sameParent(parsePath(rename.from as string), parsePath(rename.to as string)) && (rename.to as string).includes('[*]')) {
      throw new UserError(`${where}.rename: a "to" with [*] must sit in the same mapping as "from"`, file);
    }
    return item as unknown as Migration;
  });
}

/** The migrations that apply to a repository recorded on `recorded`, in their order. */
export function migrationsFor(migrations: Migration[], recorded: string): Migration[] {
  return migrations.filter((migration) => semver.satisfies(recorded, migration.from, { includePrerelease: true }));
}

/** What a migration does, in words, for the command's output and the changelog. */
export function describeMigration(migration: Migration): string {
  if (migration.description) return migration.description;
  if ('rename' in migration) return `rename ${migration.rename.from} to ${migration.rename.to}`;
  if ('default' in migration) return `set ${migration.default.path} to ${JSON.stringify(migration.default.value)} where it is missing`;
  return `drop ${migration.drop}`;
}

/**
 * Apply migrations to platform.yaml's document, in place. Returns the descriptions of those that changed
 * something (a rename of a field nobody has is not news).
 */
export function migrateDocument(doc: Document, migrations: Migration[]): string[] {
  const applied: string[] = [];
  for (const migration of migrations) {
    let changed = false;
    if ('rename' in migration) {
      const from = parsePath(migration.rename.from);
      const to = parsePath(migration.rename.to);
      for (const parent of expand(doc, from.slice(0, -1))) {
        const last = from[from.length - 1]!;
        if (!doc.hasIn([...parent, last])) continue;
        // Within the same mapping (or the same list item, through `[*]`), the new key sits beside the old one.
        const target = sameParent(from, to) ? [...parent, to[to.length - 1]!] : to;
        if (doc.hasIn(target)) throw new UserError(`migration "${describeMigration(migration)}": ${format(target)} already exists`, 'platform.yaml');
        const node = doc.getIn([...parent, last], true);
        doc.deleteIn([...parent, last]);
        doc.setIn(target, node);
        changed = true;
      }
    } else if ('default' in migration) {
      const path = parsePath(migration.default.path);
      for (const parent of expand(doc, path.slice(0, -1))) {
        const target = [...parent, path[path.length - 1]!];
        if (doc.hasIn(target)) continue;
        doc.setIn(target, doc.createNode(migration.default.value));
        changed = true;
      }
    } else {
      const path = parsePath(migration.drop);
      for (const parent of expand(doc, path.slice(0, -1))) {
        const target = [...parent, path[path.length - 1]!];
        if (!doc.hasIn(target)) continue;
        doc.deleteIn(target);
        changed = true;
      }
    }
    if (changed) applied.push(describeMigration(migration));
  }
  return applied;
}

/** `spec.databases[*].size` -> ['spec', 'databases', '*', 'size']. */
function parsePath(path: string, where = 'migration'): Key[] {
  const keys: Key[] = [];
  for (const part of path.split('.')) {
    const match = /^([A-Za-z_][\w-]*)((?:\[\*\])*)$/.exec(part);
    if (!match) throw new UserError(`${where}: "${path}" is not a path such as spec.databases[*].size`);
    keys.push(match[1]!);
    for (let i = 0; i < match[2]!.length / 3; i += 1) keys.push('*');
  }
  return keys;
}

/** Every concrete path a wildcard path names in the document (only those that exist up to the last key). */
function expand(doc: Document, path: Key[]): Key[][] {
  let paths: Key[][] = [[]];
  for (const key of path) {
    const next: Key[][] = [];
    for (const prefix of paths) {
      const node = prefix.length ? doc.getIn(prefix, true) : doc.contents;
      if (key === '*') {
        if (isSeq(node)) node.items.forEach((_, index) => next.push([...prefix, index]));
      } else if (isMap(node) && node.has(key)) {
        next.push([...prefix, key]);
      }
    }
    paths = next;
  }
  return paths;
}

function sameParent(a: Key[], b: Key[]): boolean {
  return a.length === b.length && a.slice(0, -1).every((key, index) => key === b[index]);
}

function format(path: Key[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index ? `.${key}` : key)).join('');
}
