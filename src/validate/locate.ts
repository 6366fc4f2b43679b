/**
 * Where a value is written. A policy knows the path of a value in the plain data (`spec.replicas`); the
 * person fixing it needs the line and column in the file. The path is followed through the YAML nodes,
 * through aliases and merge keys, to the node where the value is written:
 *
 * - a value that arrives through an alias (`image: *img`, or a key inherited with `<<: *base`) is located
 *   at the anchored node, where its text is: fixing it there fixes every use;
 * - a block map or sequence is located at the key that holds it (`spec:`), or at its first line when it
 *   has no key (a list item, the root); a scalar or a flow collection at its own text;
 * - a path that does not exist (a missing required key) is located at its closest existing parent.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { NodePath, Range } from './types.js';

/** Bounds the walk through merge keys and aliases, which a hostile file could chain in a cycle. */
const MAX_HOPS = 1000;

interface Reached {
  node: Node | null;
  /** The key of the pair whose value `node` is, when it was reached through a map (and not through an alias). */
  key?: Node;
  /** Whether the whole path was found. */
  complete: boolean;
}

export class Locator {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
  ) {}

  locate(path: NodePath): Range {
    const reached = this.walk(path);
    return this.rangeOfReached(reached);
  }

  /** The key of the entry at `path` (for "this key is not allowed"), through merge keys. */
  locateKey(path: NodePath): Range | undefined {
    const reached = this.walk(path);
    return reached.complete && reached.key ? this.rangeOf(reached.key) : undefined;
  }

  /** The first line of the document: for problems with the document as a whole. */
  documentStart(): Range {
    const contents = this.doc.contents as Node | null;
    if (contents?.range) return this.firstLine(contents.range[0]);
    const start = this.doc.range?.[0] ?? 0;
    return this.firstLine(start);
  }

  /** The range of the text between two offsets, the end trimmed of trailing blanks and newlines. */
  rangeOfOffsets(start: number, end: number): Range {
    let last = Math.max(start, end);
    while (last > start && /\s/.test(this.text[last - 1] ?? '')) last -= 1;
    const from = this.lineCounter.linePos(start);
    const to = this.lineCounter.linePos(last);
    if (last === start) return { line: from.line, column: from.col, endLine: from.line, endColumn: from.col + 1 };
    return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  }

  private walk(path: NodePath): Reached {
    let node = this.resolve(this.doc.contents as Node | null);
    let key: Node | undefined;
    for (let index = 0; index < path.length; index += 1) {
      const segment = path[index]!;
      if (isMap(node)) {
        const pair = this.findPair(node, String(segment));
        if (!pair) return { node, key, complete: false };
        const value = pair.value as Node | null;
        key = pair.key as Node;
        // Through an alias the value's text is elsewhere: its key no longer describes where it is written.
        if (isAlias(value)) key = undefined;
        node = this.resolve(value);
        if (node === null && value !== null) return { node: value, key, complete: true };
      } else if (isSeq(node) && typeof segment === 'number' && segment >= 0 && segment < node.items.length) {
        const item = node.items[segment] as Node | null;
        key = undefined;
        node = this.resolve(item);
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }

  /** The pair for `key` in a map: its own entries first, then its merge sources in order (YAML 1.1 merge). */
  private findPair(map: Node, key: string, hops = { count: 0 }): Pair | undefined {
    if (!isMap(map)) return undefined;
    const merges: Node[] = [];
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        merges.push(pair.value as Node);
        continue;
      }
      if (keyText(pair.key) === key) return pair;
    }
    for (const merge of merges) {
      if ((hops.count += 1) > MAX_HOPS) return undefined;
      const source = this.resolve(merge);
      const sources = isSeq(source) ? source.items.map((item) => this.resolve(item as Node)) : [source];
      for (const candidate of sources) {
        const found = candidate ? this.findPair(candidate, key, hops) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Follow aliases to the anchored node. */
  private resolve(node: Node | null): Node | null {
    let current = node;
    for (let hops = 0; isAlias(current) && hops < MAX_HOPS; hops += 1) {
      current = (current.resolve(this.doc) as Node | undefined) ?? null;
    }
    return isAlias(current) ? null : current;
  }

  private rangeOfReached(reached: Reached): Range {
    const { node, key } = reached;
    if (!node?.range) return key ? this.rangeOf(key) : this.documentStart();
    const isBlockCollection = (isMap(node) || isSeq(node)) && !node.flow;
    const isEmpty = node.range[0] === node.range[1];
    if ((isBlockCollection || isEmpty) && key) return this.rangeOf(key);
    if (isBlockCollection) return this.firstLine(node.range[0]);
    return this.rangeOf(node);
  }

  private rangeOf(node: Node): Range {
    const range = node.range;
    if (!range) return this.documentStart();
    return this.rangeOfOffsets(range[0], range[1]);
  }

  /** From `start` to the end of its line, without a trailing comment or blanks. */
  private firstLine(start: number): Range {
    let end = this.text.indexOf('\n', start);
    if (end < 0) end = this.text.length;
    const comment = this.text.slice(start, end).search(/\s#/);
    if (comment >= 0) end = start + comment;
    return this.rangeOfOffsets(start, end);
  }
}

/** With `merge: true`, yaml marks a plain `<<` key with a symbol value; a quoted '<<' stays an ordinary key. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** How a key reads in the plain data: toJS turns every scalar key into its string. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
