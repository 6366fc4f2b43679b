/**
 * A template source is read from a file tree: a folder on disk (the templates of this package, a team's
 * folder, a git checkout) or an in-memory map of path to text (a released snapshot in `releases/`). The
 * loader sees only this interface, so both kinds of tree give the same TemplateSource for the same files.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import { parseYamlBytes, readYamlFile, type ParsedYaml } from '../core/yaml.js';

export interface FileTree {
  /** What the tree is, for messages and TemplateSource.dir: the folder, or the tree's label. */
  readonly root: string;
  /** How a path of this tree is named in error messages. */
  name(path: string): string;
  has(path: string): boolean;
  read(path: string): string;
  /** Parsed with the checks of readYamlFile (size, binary, UTF-8), errors naming `name(path)`. */
  yaml(path: string): ParsedYaml;
  /** Every regular file below `dir` ('' for all), sorted, as `/`-separated paths from the tree's root. */
  list(dir: string): string[];
}

/** How a tree is named in messages when not by its place on disk. */
export interface TreeNaming {
  root: string;
  name(path: string): string;
}

/**
 * A folder on disk. Symbolic links below it are skipped, as a snapshot of the folder could not hold
 * them; a YAML file read by name that is one is refused (readYamlFile).
 * `naming`, when given, replaces the place on disk in messages (a git checkout sits in a cache folder
 * that means nothing to the reader: `<url>@v1.1.0:service/template.yaml` does).
 */
export function folderTree(dir: string, naming?: TreeNaming): FileTree {
  const name = naming ? (path: string): string => naming.name(path) : (path: string): string => join(dir, path);
  return {
    root: naming?.root ?? dir,
    name,
    has: (path) => existsSync(join(dir, path)),
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    yaml: (path) => readYamlFile(join(dir, path), name(path)),
    list: (below) => listFiles(dir, below),
  };
}

/** An in-memory tree: `files` maps `/`-separated paths to their text; files are named `label:path`. */
export function memoryTree(files: Readonly<Record<string, string>>, label: string): FileTree {
  const name = (path: string): string => `${label}:${path}`;
  const text = (path: string): string => {
    if (!Object.hasOwn(files, path)) throw new UserError('no such file', name(path));
    return files[path]!;
  };
  const all = Object.keys(files).sort();
  return {
    root: label,
    name,
    has: (path) => Object.hasOwn(files, path) || all.some((file) => file.startsWith(`${path}/`)),
    read: text,
    yaml: (path) => parseYamlBytes(Buffer.from(text(path), 'utf8'), name(path)),
    list: (below) => (below === '' ? all : all.filter((file) => file.startsWith(`${below}/`))),
  };
}

function listFiles(root: string, below: string): string[] {
  const start = join(root, below);
  if (!existsSync(start)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current)) {
      const full = join(current, entry);
      const stat = lstatSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) found.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(start);
  return found.sort();
}
