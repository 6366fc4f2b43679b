/**
 * Selectors: which nodes of a document a schema rule applies to, written as a dotted path with
 * wildcards, e.g. `spec.template.spec.containers[*]` or `jobs.*.steps[*]`. `*` and `[*]` both mean every
 * item of a list or every value of a map. A path that does not exist selects nothing.
 */
import type { NodePath } from '../validate/types.js';

export type Segment = string | number | typeof ANY;
export const ANY = Symbol('any');
export type Selector = Segment[];

/** Nodes visited per selector and document: enough for any real manifest, a bound for a hostile one. */
export const MAX_SELECTED = 10_000;

export function parseSelector(text: string): Selector | string {
  const source = text.trim();
  if (source === '' || source === '.') return [];
  const segments: Segment[] = [];
  let rest = source;
  while (rest.length > 0) {
    let match: RegExpMatchArray | null;
    if ((match = rest.match(/^\[\*\]/))) segments.push(ANY);
    else if ((match = rest.match(/^\[(\d{1,6})\]/))) segments.push(Number(match[1]));
    else if ((match = rest.match(/^\["([^"\\]{1,200})"\]/))) segments.push(match[1]!);
    else if ((match = rest.match(/^\.?\*/))) segments.push(ANY);
    else if ((match = rest.match(/^\.?([A-Za-z0-9_$-]{1,200})/))) segments.push(match[1]!);
    else return `selector "${text}": unexpected "${rest.slice(0, 20)}" (write keys as a.b, list items as [*] or [0], any map value as *)`;
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** Every concrete path in `root` that the selector reaches, with the value there. */
export function selectNodes(root: unknown, selector: Selector): Array<{ path: NodePath; value: unknown }> {
  let current: Array<{ path: Array<string | number>; value: unknown }> = [{ path: [], value: root }];
  for (const segment of selector) {
    const next: typeof current = [];
    for (const { path, value } of current) {
      if (segment === ANY) {
        if (Array.isArray(value)) value.forEach((item, index) => next.push({ path: [...path, index], value: item }));
        else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) next.push({ path: [...path, key], value: item });
      } else if (typeof segment === 'number') {
        if (Array.isArray(value) && segment < value.length) next.push({ path: [...path, segment], value: value[segment] });
      } else if (isPlainObject(value) && Object.hasOwn(value, segment)) {
        next.push({ path: [...path, segment], value: value[segment] });
      }
      if (next.length > MAX_SELECTED) break;
    }
    current = next.slice(0, MAX_SELECTED);
  }
  return current;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a concrete path, or undefined. */
export function valueAt(root: unknown, path: NodePath): unknown {
  let value = root;
  for (const key of path) {
    if (typeof key === 'number') value = Array.isArray(value) ? value[key] : undefined;
    else value = isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    if (value === undefined) return undefined;
  }
  return value;
}
