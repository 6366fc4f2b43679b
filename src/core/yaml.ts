import { readFileSync, lstatSync } from 'node:fs';
import { Document, LineCounter, parseDocument, isNode, type Node } from 'yaml';
import { describeErrno, UserError } from './errors.js';

/** Files larger than this are refused rather than parsed: a manifest is a few kilobytes. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** Aliases beyond this count are an alias bomb, not a configuration. */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  file: string;
  /** The text parsed (without a byte-order mark). */
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

/** Parse YAML text with positions; the first syntax error (duplicate keys included) becomes a UserError at its line. */
export function parseYaml(text: string, file: string): ParsedYaml {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false, strict: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = lineCounter.linePos(problem.pos[0]);
    throw new UserError(`invalid YAML: ${firstLine(problem.message)}`, file, at.line, at.col);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new UserError(`invalid YAML: ${firstLine((error as Error).message)}`, file);
  }
  return { file, text, doc, lineCounter, value };
}

/** Read and parse a YAML file, refusing symlinks, huge files and binary content with a one-line error. */
export function readYamlFile(path: string, displayName = path): ParsedYaml {
  let size: number;
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) throw new UserError('is a symbolic link; refusing to follow it', displayName);
    if (!stat.isFile()) throw new UserError('is not a regular file', displayName);
    size = stat.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read: ${describeErrno(error)}`, displayName);
  }
  if (size > MAX_YAML_BYTES) throw new UserError(`is ${size} bytes, over the ${MAX_YAML_BYTES}-byte limit`, displayName);
  return parseYamlBytes(readFileSync(path), displayName);
}

/** The checks of readYamlFile after reading (size, binary, UTF-8), for YAML that does not come from a file of its own. */
export function parseYamlBytes(bytes: Uint8Array, displayName: string): ParsedYaml {
  if (bytes.length > MAX_YAML_BYTES) throw new UserError(`is ${bytes.length} bytes, over the ${MAX_YAML_BYTES}-byte limit`, displayName);
  if (bytes.includes(0)) throw new UserError('is a binary file, not YAML', displayName);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError('is not valid UTF-8', displayName);
  }
  return parseYaml(text, displayName);
}

/** The 1-based line and column of the node at `path` in a parsed document, or of its closest existing parent. */
export function positionOf(parsed: ParsedYaml, path: ReadonlyArray<string | number>): { line: number; column: number } {
  let node: unknown = parsed.doc.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (const key of path) {
    if (!isNode(node) || !('get' in node)) break;
    const next = (node as { get(key: unknown, keepScalar: boolean): unknown }).get(key, true);
    if (!isNode(next)) break;
    node = next;
    best = next;
  }
  const offset = best?.range?.[0] ?? 0;
  const at = parsed.lineCounter.linePos(offset);
  return { line: at.line, column: at.col };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
