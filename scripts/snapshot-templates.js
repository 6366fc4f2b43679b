// `npm run templates:snapshot`: write releases/v<version>.json, the whole templates/ folder as of the version
// its service/template.yaml declares. The package carries every version it released this way, so a
// repository generated from an older version can still be rendered from it (base of an upgrade, drift check).
//
// Released versions are immutable: once a newer snapshot exists, the snapshot of an older version is never
// rewritten (and no older version is added): change the templates under a new version instead. The
// snapshot of the folder's own version is rewritten freely until a newer one is made.
//
// `--check` writes nothing and fails when the snapshot of the current version is missing or stale (for CI).
// An optional folder argument is the package root (default: this package), so tests can run it on a copy.
import { existsSync, lstatSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';

const args = process.argv.slice(2);
const check = args.includes('--check');
const root = args.find((arg) => !arg.startsWith('--')) ?? join(import.meta.dirname, '..');
const templates = join(root, 'templates');
const releases = join(root, 'releases');

function fail(message) {
  console.error(`templates:snapshot: ${message}`);
  process.exit(1);
}

/** Every file of templates/ by its `/`-separated path, sorted, as text; a file a snapshot cannot hold is refused. */
function readTree(dir) {
  const files = {};
  const walk = (current) => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      const stat = lstatSync(full);
      const path = relative(dir, full).split(sep).join('/');
      if (stat.isDirectory()) walk(full);
      else if (!stat.isFile()) fail(`templates/${path} is not a regular file; a snapshot cannot hold it`);
      else files[path] = decode(readFileSync(full), path);
    }
  };
  walk(dir);
  return Object.fromEntries(Object.keys(files).sort().map((path) => [path, files[path]]));
}

function decode(bytes, path) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(`templates/${path} is not UTF-8 text; a snapshot holds text only`);
  }
}

const files = readTree(templates);
const version = parse(files['service/template.yaml'] ?? fail('templates/service/template.yaml is missing'))?.version;
if (typeof version !== 'string' || semver.valid(version) !== version) fail(`templates/service/template.yaml: version "${version}" is not a semver version`);

const name = `v${version}.json`;
const target = join(releases, name);
const text = `${JSON.stringify({ version, files }, null, 2)}\n`;
const existing = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
if (existing === text) {
  console.log(`releases/${name} is up to date`);
  process.exit(0);
}
if (check) fail(`releases/${name} ${existing === undefined ? 'is missing' : 'differs from templates/'}: run \`npm run templates:snapshot\``);

const released = (existsSync(releases) ? readdirSync(releases) : [])
  .map((file) => /^v(.+)\.json$/.exec(file)?.[1])
  .filter((found) => found && semver.valid(found) === found);
const newer = semver.rsort(released.filter((found) => semver.gt(found, version)))[0];
if (newer) {
  fail(`version ${version} is older than the released ${newer}; released versions are immutable: give templates/service/template.yaml a new version`);
}
mkdirSync(releases, { recursive: true });
writeFileSync(target, text);
console.log(`${existing === undefined ? 'wrote' : 'rewrote'} releases/${name}`);
