/**
 * Parse: YAML text to documents that know where each of their values is written. Nothing a file can
 * contain crashes or hangs this stage: syntax errors, duplicate keys, alias bombs, cycles, deep nesting
 * and `__proto__` keys each become a problem at its line and column, and the document is left out.
 */
import { LineCounter, isAlias, isPair, isScalar, parseAllDocuments, visit, type Document, type Node, type YAMLError } from 'yaml';
import { MAX_ALIAS_COUNT } from '../core/yaml.js';
import { Locator } from './locate.js';
import { MAX_NESTING, excessiveNesting } from './nesting.js';
import { FILE_START, problem, type Problem } from './problem.js';
import type { NodePath, Range, YamlDocument } from './types.js';
import { append } from '../core/arrays.js';

export const YAML_SYNTAX = 'yaml-syntax';
export const YAML_STYLE = 'yaml-style';

/** Values visited per document when checking depth, cycles and `__proto__`: a bound for hostile files. */
const MAX_VALUES = 1_000_000;

export interface ParsedText {
  documents: YamlDocument[];
  problems: Problem[];
}

/** Parse the text of `file` (a repository path, for the problems) into its documents. */
export function parseYamlText(file: string, raw: string): ParsedText {
  const problems: Problem[] = [];
  let text = raw;
  if (text.charCodeAt(0) === 0xfeff) {
    // Editors do not show the mark: columns are counted without it.
    text = text.slice(1);
    problems.push(problem(YAML_STYLE, file, FILE_START, 'starts with a byte-order mark; save it as UTF-8 without one'));
  }
  const crlf = text.indexOf('\r\n');
  if (crlf >= 0) {
    const line = countLines(text, crlf);
    problems.push(problem(YAML_STYLE, file, { line, column: 1, endLine: line, endColumn: 1 }, 'has CRLF line endings; use LF'));
  }
  const lineCounter = new LineCounter();
  const tooDeep = excessiveNesting(text);
  if (tooDeep !== undefined) {
    const line = countLines(text, tooDeep);
    problems.push(problem(YAML_SYNTAX, file, { line, column: 1, endLine: line, endColumn: 1 }, `nests deeper than ${MAX_NESTING} levels`));
    return { documents: [], problems };
  }
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false, strict: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const documents: YamlDocument[] = [];
  docs.forEach((doc, index) => {
    const locator = new Locator(doc, lineCounter, text);
    const errors = syntaxProblems(doc, locator, file, text);
    if (errors.length > 0) {
      append(problems, errors);
      return;
    }
    if (doc.contents === null) return;
    const document = toDocument(doc, index, locator, file, text, problems);
    if (document) documents.push(document);
  });
  if (documents.length === 0 && problems.every((p) => p.policy !== YAML_SYNTAX) && isBlank(docs)) {
    problems.push(problem(YAML_STYLE, file, FILE_START, 'is empty'));
  }
  return { documents, problems };
}

function isBlank(docs: Document.Parsed[]): boolean {
  return docs.every((doc) => doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null));
}

/** Every duplicate key, and the first other error (what follows a syntax error is mostly its echo). */
function syntaxProblems(doc: Document.Parsed, locator: Locator, file: string, text: string): Problem[] {
  const found: Problem[] = [];
  let other = false;
  for (const error of doc.errors) {
    if (error.code !== 'DUPLICATE_KEY') {
      if (other) continue;
      other = true;
    }
    const range = locator.rangeOfOffsets(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1));
    found.push(problem(YAML_SYNTAX, file, range, describeYamlError(error, text)));
  }
  return found;
}

function describeYamlError(error: YAMLError, text: string): string {
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const lineEnd = text.indexOf('\n', error.pos[0]);
      // At most a few hundred characters: the pattern below must not run over a megabyte-long line.
      const line = text.slice(error.pos[0], Math.min(lineEnd < 0 ? text.length : lineEnd, error.pos[0] + 300));
      // The error points at the repeated key: read it as written (plain, or quoted).
      const key = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#][^#]*?)\s*:(?:\s|$)/.exec(line)?.[1] ?? line.trim();
      return `duplicate key ${JSON.stringify(key.replace(/^["']|["']$/g, ''))}`;
    }
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation; YAML allows only spaces';
    case 'RESOURCE_EXHAUSTION':
      return `nests too deeply to parse`;
    default:
      return `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim()}`;
  }
}

/** The plain value of a document that parsed, or a problem if it cannot safely be used. */
function toDocument(doc: Document.Parsed, index: number, locator: Locator, file: string, text: string, problems: Problem[]): YamlDocument | undefined {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml says "Unresolved alias (...): NAME" for an alias with no anchor before it, and speaks of an
    // excessive alias count for a bomb: two different mistakes, worded apart.
    const unresolved = /^Unresolved alias.*: (.+)$/.exec((error as Error).message.split('\n')[0]!)?.[1];
    const alias = unresolved === undefined ? firstAlias(doc) : firstAlias(doc, unresolved);
    const range = alias?.range ? locator.rangeOfOffsets(alias.range[0], alias.range[1]) : locator.documentStart();
    const detail = unresolved !== undefined
      ? `the alias *${unresolved} has no anchor &${unresolved} before it in this document`
      : error instanceof ReferenceError && /alias/i.test(error.message)
        ? `aliases expand into too many nodes (more than ${MAX_ALIAS_COUNT} per anchor): a YAML bomb`
        : `cannot be read: ${(error as Error).message.split('\n')[0]}`;
    problems.push(problem(YAML_SYNTAX, file, range, detail));
    return undefined;
  }
  // The walks below cost a tenth of the parse; text without `__proto__` or any alias cannot need them.
  const mayHaveProto = text.includes('__proto__');
  if (!mayHaveProto && !text.includes('*')) return document(index, value, locator);
  for (const key of mayHaveProto ? protoKeys(doc) : []) {
    problems.push(problem(YAML_SYNTAX, file, locator.rangeOfOffsets(key.range![0], key.range![1]), 'the key "__proto__" is not allowed: tools that read this file into objects could change their prototype'));
  }
  const shape = checkShape(value);
  if (shape.kind === 'cycle') {
    const alias = cyclicAlias(doc);
    const range = alias?.range ? locator.rangeOfOffsets(alias.range[0], alias.range[1]) : locator.locate(shape.path);
    problems.push(problem(YAML_SYNTAX, file, range, 'an alias refers to a node that contains it: the value would be infinite'));
    return undefined;
  }
  if (shape.kind === 'deep' || shape.kind === 'large') {
    const message = shape.kind === 'deep' ? `nests deeper than ${MAX_NESTING} levels` : `holds more than ${MAX_VALUES} values`;
    problems.push(problem(YAML_SYNTAX, file, locator.locate(shape.path), message));
    return undefined;
  }
  return document(index, value, locator);
}

function document(index: number, value: unknown, locator: Locator): YamlDocument {
  return {
    index,
    value,
    locate: (path: NodePath): Range => locator.locate(path),
    locateKey: (path: NodePath): Range | undefined => locator.locateKey(path),
  };
}

type Shape = { kind: 'ok' } | { kind: 'cycle' | 'deep' | 'large'; path: NodePath };

/**
 * One iterative walk over the plain value: finds cycles (an alias inside its own anchor), nesting beyond
 * the limit and absurd sizes, and drops own `__proto__` properties (yaml defines them as plain data, but
 * code that copies objects with assignment would turn them into prototypes).
 */
function checkShape(root: unknown): Shape {
  type Frame = { value: object; path: Array<string | number>; leave: boolean };
  const stack: Frame[] = typeof root === 'object' && root !== null ? [{ value: root, path: [], leave: false }] : [];
  const onPath = new Set<object>();
  let visited = 0;
  while (stack.length > 0) {
    const { value, path, leave } = stack.pop()!;
    if (leave) {
      onPath.delete(value);
      continue;
    }
    if (onPath.has(value)) return { kind: 'cycle', path };
    if (path.length > MAX_NESTING) return { kind: 'deep', path };
    if ((visited += 1) > MAX_VALUES) return { kind: 'large', path };
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) delete (value as Record<string, unknown>)['__proto__'];
    onPath.add(value);
    stack.push({ value, path, leave: true });
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
    for (const [key, item] of entries) {
      if (typeof item === 'object' && item !== null) stack.push({ value: item, path: [...path, key], leave: false });
    }
  }
  return { kind: 'ok' };
}

function protoKeys(doc: Document.Parsed): Node[] {
  const keys: Node[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === '__proto__' && pair.key.range) keys.push(pair.key);
    },
  });
  return keys;
}

function firstAlias(doc: Document.Parsed, name?: string): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_, node) {
      if (name !== undefined && node.source !== name) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** The alias that sits inside the node it refers to. */
function cyclicAlias(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_, node, path) {
      const target = node.resolve(doc);
      if (target && path.includes(target as never)) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return isAlias(found) ? found : undefined;
}

function countLines(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}
