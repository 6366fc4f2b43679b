/**
 * The third-party test data is pinned: test/third-party.json lists every file the tests read with its
 * upstream at a commit and its SHA-256, and `npm run third-party` (scripts/third-party.js) fills the cache
 * from there. GitHub is out of reach here, so the download runs against a mirror on 127.0.0.1 serving the
 * files of PLATFORM_THIRD_PARTY at the manifest's URL paths.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thirdParty, thirdPartyDir, thirdPartyManifest } from './helpers/third-party.js';

const root = join(import.meta.dirname, '..');
const script = join(root, 'scripts', 'third-party.js');
const manifest = thirdPartyManifest();
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

describe('the third-party manifest', () => {
  it('holds the SHA-256 of each file in the third-party folder', () => {
    for (const entry of manifest) {
      expect(`${entry.path} ${sha256(join(thirdPartyDir(), entry.path))}`).toBe(`${entry.path} ${entry.sha256}`);
      expect(entry.url).toMatch(new RegExp(`^https://raw\\.githubusercontent\\.com/[^/]+/[^/]+/${entry.commit}/`));
    }
  });

  it('lists every data file of the folder; README.md and actions.md are notes written here, not upstream files', () => {
    const listed = manifest.map((entry) => entry.path).sort();
    expect(filesUnder(thirdPartyDir()).filter((file) => file !== 'README.md' && file !== 'actions.md')).toEqual(listed);
  });

  it('lists every file a test names, and the helper refuses one it does not list', () => {
    const listed = new Set(manifest.map((entry) => entry.path));
    const named = new Set<string>();
    // This file names files on purpose that are not listed; it is left out.
    for (const file of filesUnder(join(root, 'test')).filter((path) => path.endsWith('.ts') && path !== 'third-party.test.ts')) {
      const text = readFileSync(join(root, 'test', file), 'utf8');
      for (const call of text.matchAll(/thirdParty\(((?:'[^']+'(?:, )?)+)\)/g)) named.add([...call[1]!.matchAll(/'([^']+)'/g)].map((part) => part[1]).join('/'));
      // The helpers' schemas by name: schemaValidator('catalog-info.json'), schemaProblemsOf(path, value, 'x.json').
      for (const call of text.matchAll(/(?:schemaValidator\(|schemaProblemsOf\([^;]*?, )'([\w.-]+\.json)'\)/g)) named.add(`schemas/${call[1]}`);
    }
    expect(named.size).toBeGreaterThan(3);
    // Besides listed files, the helper accepts on purpose a folder of listed files (`crds`, read whole) and
    // the local note actions.md (compiled here, not downloaded): a test may name those, and nothing else.
    const folder = (path: string): boolean => [...listed].some((file) => file.startsWith(`${path}/`));
    expect([...named].filter((path) => !listed.has(path) && path !== 'actions.md' && !folder(path))).toEqual([]);
    expect(named.has('crds') && folder('crds')).toBe(true);
    expect(existsSync(thirdParty('crds'))).toBe(true);
    expect(existsSync(thirdParty('actions.md'))).toBe(true);
    expect(() => thirdParty('README.md')).toThrow(/README\.md is not in .*third-party\.json/);
    expect(() => thirdParty('crd')).toThrow(/crd is not in .*third-party\.json/);
  });
});

describe('npm run third-party', () => {
  let server: Server;
  let baseUrl: string;
  const requests: string[] = [];
  /** A path the mirror serves with one byte changed, and one it does not have. */
  const tampered = new Set<string>();
  const missing = new Set<string>();
  const work = mkdtempSync(join(tmpdir(), 'platform-third-party-'));
  const byUrlPath = new Map(manifest.map((entry) => [new URL(entry.url).pathname, entry.path]));

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = byUrlPath.get(request.url ?? '');
      requests.push(request.url ?? '');
      if (!path || missing.has(path)) {
        response.writeHead(404).end('not found');
        return;
      }
      const bytes = readFileSync(join(thirdPartyDir(), path));
      if (tampered.has(path)) bytes[0] = bytes[0]! ^ 1;
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    rmSync(work, { recursive: true, force: true });
  });

  async function run(into: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env, PLATFORM_THIRD_PARTY_BASE_URL: baseUrl };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, '--into', into], { env, encoding: 'utf8' });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('downloads every file of the manifest, byte for byte, and only what is missing when run again', async () => {
    const cache = join(work, 'cache');
    const first = await run(cache);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(`third-party: ${manifest.length} downloaded, 0 already current`);
    expect(filesUnder(cache)).toEqual(manifest.map((entry) => entry.path).sort());
    for (const entry of manifest) expect(sha256(join(cache, entry.path))).toBe(entry.sha256);

    unlinkSync(join(cache, manifest[0]!.path));
    requests.length = 0;
    const again = await run(cache);
    expect(again.stdout).toContain(`third-party: 1 downloaded, ${manifest.length - 1} already current`);
    expect(requests).toEqual([new URL(manifest[0]!.url).pathname]);
    expect(readdirSync(work).sort()).toEqual(['cache']);
  });

  it('refuses a file whose hash is not the manifest one, and leaves the cache as it was', async () => {
    const cache = join(work, 'kept');
    expect((await run(cache)).code).toBe(0);
    const victim = manifest[manifest.length - 1]!;
    unlinkSync(join(cache, victim.path));
    tampered.add(victim.path);
    try {
      const refused = await run(cache);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^third-party: ${victim.path}: .* has SHA-256 [0-9a-f]{64}, not the manifest's ${victim.sha256}: refused\\n$`));
      expect(existsSync(join(cache, victim.path))).toBe(false);
      expect(filesUnder(cache)).toHaveLength(manifest.length - 1);

      const fresh = join(work, 'fresh');
      expect((await run(fresh)).code).toBe(1);
      expect(existsSync(fresh)).toBe(false);
      expect(readdirSync(work).filter((name) => name.includes('.partial-') || name.includes('.old-'))).toEqual([]);
    } finally {
      tampered.delete(victim.path);
    }
  });

  it('names the URL of a file it cannot download', async () => {
    const victim = manifest[1]!;
    missing.add(victim.path);
    try {
      const failed = await run(join(work, 'unreachable'));
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(`third-party: ${victim.path}: could not download ${baseUrl}${new URL(victim.url).pathname}: HTTP 404 Not Found\n`);
    } finally {
      missing.delete(victim.path);
    }
  });
});
