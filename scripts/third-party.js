// `npm run third-party`: fill the cache of third-party test data (test/helpers/third-party.ts reads it when
// PLATFORM_THIRD_PARTY is not set) with every file of test/third-party.json, each downloaded from its
// upstream at the pinned commit and refused unless its SHA-256 is the manifest's.
//
// The cache is replaced whole or not at all: the files are gathered in a folder beside it (those already
// there and still matching are kept, not downloaded again), then that folder takes the cache's place. A
// download that fails or does not match leaves the cache as it was.
//
//   npm run third-party [-- --into DIR]
//   PLATFORM_THIRD_PARTY_BASE_URL=http://127.0.0.1:8080 npm run third-party   (a mirror of raw.githubusercontent.com)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { thirdPartyCache } from '../src/core/third-party-cache.js';

const root = join(import.meta.dirname, '..');
export const MANIFEST = join(root, 'test', 'third-party.json');
const UPSTREAM = 'https://raw.githubusercontent.com';

/** The manifest's entries: `{ path, url, commit, sha256 }`, one per file the tests read. */
export function manifestFiles() {
  return JSON.parse(readFileSync(MANIFEST, 'utf8')).files;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Where an entry is fetched from: its URL, or the same path under a mirror's base URL. */
function source(entry, baseUrl) {
  if (!baseUrl) return entry.url;
  if (!entry.url.startsWith(`${UPSTREAM}/`)) throw new Error(`${entry.path}: its url is not on ${UPSTREAM}, so no mirror can stand in for it`);
  return `${baseUrl.replace(/\/+$/, '')}${entry.url.slice(UPSTREAM.length)}`;
}

async function download(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Fill `into` with every file of the manifest. Returns `{ downloaded, kept }` (paths); throws, leaving
 * `into` untouched, when a file cannot be fetched or its hash is not the manifest's.
 */
export async function fillThirdParty({ into = thirdPartyCache(), baseUrl = process.env.PLATFORM_THIRD_PARTY_BASE_URL } = {}) {
  const target = resolve(into);
  const staging = `${target}.partial-${process.pid}`;
  const downloaded = [];
  const kept = [];
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const entry of manifestFiles()) {
      const existing = join(target, entry.path);
      let bytes = existsSync(existing) ? readFileSync(existing) : undefined;
      if (bytes && sha256(bytes) === entry.sha256) {
        kept.push(entry.path);
      } else {
        const url = source(entry, baseUrl);
        try {
          bytes = await download(url);
        } catch (error) {
          throw new Error(`${entry.path}: could not download ${url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        const actual = sha256(bytes);
        if (actual !== entry.sha256) throw new Error(`${entry.path}: ${url} has SHA-256 ${actual}, not the manifest's ${entry.sha256}: refused`);
        downloaded.push(entry.path);
      }
      mkdirSync(dirname(join(staging, entry.path)), { recursive: true });
      writeFileSync(join(staging, entry.path), bytes);
    }
    const old = `${target}.old-${process.pid}`;
    mkdirSync(dirname(target), { recursive: true });
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { downloaded, kept };
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const at = process.argv.indexOf('--into');
  const into = at > 0 ? process.argv[at + 1] : undefined;
  if (at > 0 && !into) {
    process.stderr.write('third-party: --into needs a folder\n');
    process.exit(2);
  }
  try {
    const target = into ?? thirdPartyCache();
    const { downloaded, kept } = await fillThirdParty({ into: target });
    process.stdout.write(`third-party: ${downloaded.length} downloaded, ${kept.length} already current, in ${resolve(target)}\n`);
  } catch (error) {
    process.stderr.write(`third-party: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
