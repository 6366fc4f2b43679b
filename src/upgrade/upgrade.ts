import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Document } from 'yaml';
import semver from 'semver';
import { UserError } from '../core/errors.js';
import { readRepositoryFile, type ChangeSet } from '../core/transaction.js';
import { MANIFEST_FILE, type Manifest } from '../manifest/types.js';
import { RECORD_FILE, render, type GenerationRecord, type Rendering } from '../render/render.js';
import type { TemplateSource } from '../render/source.js';
import { openSource, type OpenedSource, type SourceCache } from '../source/index.js';
import { isVersion, unknownVersion } from '../source/versions.js';
import { checkRecordedAnswers, readRecord, recordedSource } from '../generate/record.js';
import { databasesLeft } from './databases.js';
import { planFiles, type FileOutcome } from './files.js';
import { nextManifest, manifestTemplateVersion } from './manifest.js';
import { migrationsFor, type Migration } from './migrations.js';
import { nextRecordFile } from './record-file.js';

export interface UpgradeOptions {
  /** The version to move to; default the newest of the source. */
  to?: string;
  /** Another source than the recorded one (a moved repository, a mirror). */
  source?: string;
  /** Sources already opened by this process, to fetch and load each once across many repositories. */
  sources?: SourceCache;
}

/** Everything `platform upgrade` would do, computed before anything is written. */
export interface UpgradePlan {
  source: string;
  template: string;
  from: string;
  to: string;
  /** The migrations that changed platform.yaml, in words. */
  migrations: string[];
  /** One outcome per file that changes (platform.yaml included when it does). */
  files: FileOutcome[];
  changes: ChangeSet;
  conflicts: string[];
  /** What the team should know that no file says: a database that left platform.yaml keeps running. */
  warnings: string[];
}

/**
 * Plan an upgrade (docs/lifecycle.md): the base is the recorded version rendered from the recorded
 * answers, the target is the new version rendered from platform.yaml after its migrations. Nothing is
 * written here; a migration that leaves an invalid manifest stops the plan, naming the field.
 */
export async function planUpgrade(root: string, options: UpgradeOptions = {}): Promise<UpgradePlan> {
  const record = readRecord(root);
  const recorded = recordedSource(record);
  // A --source typed on the command line is relative to where it was typed; a recorded one is absolute.
  const opened = await openSource(options.source ?? recorded.spec, { cwd: options.source ? process.cwd() : root, cache: options.sources });
  const name = record.template.name;
  const from = record.template.version;
  const to = await targetVersion(root, opened, from, options.to);
  const base = await loadVersion(opened, from, name, options.source ? null : recorded.commit, 'recorded');
  const target = from === to && !options.source ? base : await loadVersion(opened, to, name, null, 'target');
  return planBetween(root, record, base, target, undefined, await migrationsBetween(opened, from, to, name, target));
}

/** The plan from the recorded rendering to `target`; `platform add` uses it with base and target on one version. */
export function planBetween(
  root: string,
  record: GenerationRecord,
  base: TemplateSource,
  target: TemplateSource,
  edit?: (doc: Document, manifest: Manifest) => void,
  declared: Migration[] = target.template.migrations ?? [],
): UpgradePlan {
  const manifestText = readRepositoryFile(root, MANIFEST_FILE);
  if (manifestText === undefined) throw new UserError(`no ${MANIFEST_FILE}: it is the input of every re-render; restore it from git history`, root);
  const from = record.template.version;
  // Migrations move answers across versions; a re-render on one version has none to apply.
  const migrations = from === target.template.version ? [] : migrationsFor(declared, from);
  const next = nextManifest(manifestText, target, migrations, edit);
  checkRecordedAnswers(record, base.settings, `${base.template.name}@${base.template.version}`);
  const baseRendering = renderOrFail(() => render(record.answers, base), base, RECORD_FILE);
  const targetRendering = render(next.manifest, target, next.text);
  const files = planFiles({
    base: new Map(baseRendering.files.map((file) => [file.path, file])),
    target: targetRendering.files,
    read: (path) => readRepositoryFile(root, path),
    // Following a link here is harmless: a file whose template did not change is never written unless absent.
    exists: (path) => existsSync(join(root, path)),
    from,
    to: target.template.version,
  });
  if (next.text !== manifestText) files.unshift({ path: MANIFEST_FILE, mode: 'seeded', action: 'updated', content: next.text });
  const recordBefore = readRepositoryFile(root, RECORD_FILE);
  const recordText = nextRecordFile(targetRendering, recordBefore);
  // Said like any file (an older record gains its source, say), but written last, by the transaction.
  if (recordText !== recordBefore) files.push({ path: RECORD_FILE, mode: 'managed', action: 'updated', content: recordText });
  return {
    source: target.origin.spec,
    template: target.template.name,
    from,
    to: target.template.version,
    migrations: next.migrated,
    files,
    changes: {
      writes: files.filter((file) => file.content !== undefined && file.path !== RECORD_FILE).map((file) => ({ path: file.path, content: file.content! })),
      removes: files.filter((file) => file.action === 'removed').map((file) => file.path),
      record: { path: RECORD_FILE, content: recordText },
    },
    conflicts: files.filter((file) => file.action === 'conflict').map((file) => file.path),
    warnings: databasesLeft(record.answers, base, next.manifest, target),
  };
}

/**
 * The migrations of every version after the recorded one up to the target, oldest first: a version that
 * stopped declaring a migration its predecessor had must not skip it for a repository that never ran it.
 * One declared again by a later version (carried forward) counts once.
 */
async function migrationsBetween(opened: OpenedSource, from: string, to: string, template: string, target: TemplateSource): Promise<Migration[]> {
  const between = (await opened.versions()).filter((version) => semver.gt(version, from) && semver.lt(version, to));
  const sources = [...(await Promise.all(between.map((version) => opened.load(version, { template })))), target];
  const seen = new Set<string>();
  const all: Migration[] = [];
  for (const source of sources) {
    for (const migration of source.template.migrations ?? []) {
      const key = JSON.stringify(migration);
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(migration);
    }
  }
  return all;
}

/** --to, else the version a team wrote into platform.yaml by hand, else the newest; never a downgrade. */
async function targetVersion(root: string, opened: OpenedSource, from: string, given: string | undefined): Promise<string> {
  if (given !== undefined) {
    checkVersionOption('--to', given);
    if (semver.lt(given, from)) throw new UserError(`--to ${given} is older than the recorded ${from}: downgrades are not supported`);
    return given;
  }
  const text = readRepositoryFile(root, MANIFEST_FILE);
  const declared = text === undefined ? undefined : manifestTemplateVersion(text);
  if (declared !== undefined && declared !== from && isVersion(declared) && semver.gt(declared, from)) return declared;
  const newest = await opened.newest();
  if (semver.lt(newest, from)) throw sourceBehind(opened.spec, newest, from, ' (downgrades are not supported)');
  return newest;
}

async function loadVersion(opened: OpenedSource, version: string, template: string, commit: string | null, role: 'recorded' | 'target'): Promise<TemplateSource> {
  const versions = await opened.versions();
  if (!versions.includes(version)) {
    // A folder has only the version it holds now: the recorded one, the base of the merge, is gone.
    const hint = role === 'recorded' && opened.kind === 'folder' ? ': a folder source keeps only its current version; use a git repository with version tags as the source (--source) to upgrade' : '';
    // The same words as every other command that asks a source for a version it lacks.
    throw new UserError(`${unknownVersion(opened.spec, version, versions).message}${hint}`);
  }
  return opened.load(version, { commit, template });
}

/** A version typed as an option: X.Y.Z, as sources name them (semver alone would also take "v1.2.0"). */
export function checkVersionOption(option: string, value: string): void {
  if (!isVersion(value)) throw new UserError(`${option} ${value}: not a version such as 1.2.0`);
}

/** A source whose newest version is older than the recorded one is most likely not the repository's. */
export function sourceBehind(spec: string, newest: string, recorded: string, more = ''): UserError {
  return new UserError(`the newest version of template source ${spec} is ${newest}, older than the recorded ${recorded}: is this the repository's source?${more}`);
}

function renderOrFail(run: () => Rendering, source: TemplateSource, file: string): Rendering {
  try {
    return run();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`the recorded answers cannot be rendered by template ${source.template.name}@${source.template.version}: ${(error as Error).message}`, file);
  }
}
