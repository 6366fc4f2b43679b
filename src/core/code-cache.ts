/**
 * Loads the CLI's CommonJS bundles with a V8 code cache beside each (`<file>.v8cache`), written at build
 * time by a training run (scripts/code-cache.js). A cold `platform validate` otherwise spends a third of
 * its time parsing and compiling JavaScript; with the cache V8 deserializes the bytecode of every
 * function the training run used. This is what Node 22's `module.enableCompileCache()` does; Node 20
 * has only `vm.Script`'s `cachedData`.
 *
 * A cache is used only for the exact source it was made from: V8 itself checks its own version and flags
 * but only the length of the source, so each cache starts with a CRC-32 of the source. A missing, stale,
 * corrupt or rejected cache means the file is compiled as usual; nothing is written at run time, so an
 * installed package stays read-only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

export type CacheState = 'used' | 'absent' | 'stale' | 'rejected';

interface LoadedScript {
  file: string;
  /** CRC-32 of the source the script was compiled from: the header of its cache. */
  checksum: number;
  script: Script;
  state: CacheState;
  exports: unknown;
}

type Importer = (specifier: string) => Promise<unknown>;

// Several copies of this module can run in one process (the launcher's, the CLI bundle's, the library's):
// they share one registry, so that the training run writes the cache of every script any of them loaded,
// and the importer the launcher lends.
const SHARED_KEY = Symbol.for('generator-platform.codeCache');
const shared = ((globalThis as Record<symbol, unknown>)[SHARED_KEY] ??= { scripts: new Map(), importer: undefined }) as {
  scripts: Map<string, LoadedScript>;
  importer: Importer | undefined;
};
const registry = shared.scripts;

const HEADER_BYTES = 4;

function cacheFileOf(file: string): string {
  return `${file}.v8cache`;
}

/**
 * The exports of a CommonJS file, compiled from its code cache when there is a valid one. Code compiled
 * this way cannot call `import()` on Node 20 (that needs an experimental flag); `importModule` lends it
 * the caller's, for importModule() below.
 */
export function loadCommonJs(file: string, { useCache = true, importModule: importer }: { useCache?: boolean; importModule?: Importer } = {}): unknown {
  if (importer) shared.importer ??= importer;
  const loaded = registry.get(file);
  if (loaded) return loaded.exports;
  const bytes = readFileSync(file);
  const checksum = crc32(bytes);
  // PLATFORM_CODE_CACHE=off compiles every bundle from source (docs/architecture.md).
  const cache = useCache && process.env.PLATFORM_CODE_CACHE !== 'off' ? readCache(file) : undefined;
  const cachedData = cache && cache.readUInt32LE(0) === checksum ? cache.subarray(HEADER_BYTES) : undefined;
  const script = new Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
  const state: CacheState = !cache ? 'absent' : !cachedData ? 'stale' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as unknown, id: file, filename: file };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  registry.set(file, { file, checksum, script, state, exports: module.exports });
  return module.exports;
}

/**
 * `import()` of an ES module package left outside the bundles (Yeoman's prompt adapter): through the
 * importer a launcher lent, or directly where this module was loaded by Node itself.
 */
export function importModule(specifier: string): Promise<unknown> {
  return shared.importer ? shared.importer(specifier) : import(specifier);
}

function readCache(file: string): Buffer | undefined {
  try {
    const cache = readFileSync(cacheFileOf(file));
    return cache.length > HEADER_BYTES ? cache : undefined;
  } catch {
    return undefined;
  }
}

/** How each script loaded so far was compiled: for the benchmark and the tests. */
export function codeCacheStates(): Array<{ file: string; state: CacheState }> {
  return [...registry.values()].map(({ file, state }) => ({ file, state }));
}

/**
 * Writes the cache of every script loaded so far, with the functions compiled until now: called by the
 * training run after it has generated and validated a repository.
 */
export function writeCodeCaches(): string[] {
  const written: string[] = [];
  for (const { file, checksum, script } of registry.values()) {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(checksum, 0);
    writeFileSync(cacheFileOf(file), Buffer.concat([header, script.createCachedData()]));
    written.push(cacheFileOf(file));
  }
  return written;
}
