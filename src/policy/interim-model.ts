/**
 * TEMPORARY: a small RepositoryModel builder from an in-memory file tree, used until the validator's
 * own loader (src/validate/) lands. There must be one model builder: this file goes away then.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Settings } from '../settings/settings.js';
import type { FileKind, NodePath, Range, RepositoryFile, RepositoryModel, YamlDocument } from '../validate/types.js';
import type { Manifest } from '../manifest/types.js';

export function classify(path: string): FileKind {
  const base = path.split('/').pop()!;
  if (path === 'platform.yaml') return 'manifest';
  if (path === '.yo-rc.json') return 'record';
  if (path === 'catalog-info.yaml') return 'catalog';
  if (base === 'CODEOWNERS') return 'codeowners';
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'workflow';
  if (base === 'action.yml' || base === 'action.yaml') return 'action';
  if (path.startsWith('deploy/') && /^(kustomization\.ya?ml|Kustomization)$/.test(base)) return 'kustomization';
  if (path.startsWith('deploy/') && /\.ya?ml$/.test(base)) return 'kubernetes';
  if (/\.ya?ml$/.test(base)) return 'yaml';
  return 'text';
}

export function interimModel(files: Record<string, string>, settings: Settings, root = '.'): RepositoryModel {
  const list: RepositoryFile[] = Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, text]) => {
      const kind = classify(path);
      const yamlLike = /\.(ya?ml|json)$/.test(path);
      return { path, kind, text, documents: yamlLike ? parseDocuments(text) : [] };
    });
  const byPath = new Map(list.map((file) => [file.path, file]));
  const manifestFile = byPath.get('platform.yaml');
  return {
    root,
    files: list,
    file: (path) => byPath.get(path),
    manifest: manifestFile?.documents[0]?.value as Manifest | undefined,
    settings,
  };
}

function parseDocuments(text: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  if (docs.some((doc) => doc.errors.length > 0)) return [];
  return docs.map((doc, index) => ({
    index,
    value: doc.toJS({ maxAliasCount: 100 }),
    locate: (path: NodePath) => rangeOf(doc, lineCounter, walk(doc, path).node),
    locateKey: (path: NodePath) => {
      const { key, reached } = walk(doc, path);
      return reached && key ? rangeOf(doc, lineCounter, key) : undefined;
    },
  }));
}

function walk(doc: Document.Parsed, path: NodePath): { node: Node | undefined; key?: Node; reached: boolean } {
  let node: Node | undefined = resolve(doc, doc.contents ?? undefined);
  let key: Node | undefined;
  for (const segment of path) {
    const found = child(doc, node, segment);
    if (!found) return { node, reached: false };
    node = found.value;
    key = found.key;
  }
  return { node, key, reached: true };
}

function child(doc: Document.Parsed, node: Node | undefined, segment: string | number): { key?: Node; value: Node } | undefined {
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return isNode(item) ? { value: resolve(doc, item)! } : undefined;
  }
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(segment)) {
      return isNode(pair.value) ? { key: pair.key, value: resolve(doc, pair.value)! } : { key: pair.key, value: pair.key };
    }
  }
  // Merge keys: the entry comes from a mapping merged in with `<<`.
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && (pair.key.value === '<<' || typeof pair.key.value === 'symbol')) {
      const sources = resolve(doc, pair.value as Node);
      for (const source of isSeq(sources) ? sources.items.map((item) => resolve(doc, item as Node)) : [sources]) {
        const found = child(doc, source, segment);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function resolve(doc: Document.Parsed, node: Node | undefined | null): Node | undefined {
  let current = node ?? undefined;
  for (let hops = 0; isAlias(current) && hops < 100; hops += 1) current = current.resolve(doc) as Node | undefined;
  return current;
}

function rangeOf(doc: Document.Parsed, lineCounter: LineCounter, node: Node | undefined): Range {
  const [start, end] = node?.range ?? doc.range;
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(Math.max(start, end));
  return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}
