import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../core/errors.js';
import { readManifest } from '../manifest/io.js';
import { render, type RenderedFile } from '../render/render.js';
import { loadTemplateSource, type TemplateSource } from '../render/source.js';
import { describeMigration, migrateDocument, migrationsFor, type Migration } from '../upgrade/migrations.js';
import { manifestProblems } from '../manifest/rules.js';
import { validateFiles, type Finding } from '../validate/index.js';
import { CHANGELOG_JSON, CHANGELOG_MD, exampleChanges, parseNotes, prependEntry, prependJsonEntry, type ChangelogEntry, type ExampleChanges } from './changelog.js';
import { pushRelease, tag } from './release.js';
import { embeddedPackage, embeddedTarget, gitRepository, gitTarget, type ReleaseTarget } from './targets.js';

export interface PublishOptions {
  /** The template source folder: the root of a git repository or a folder in one. */
  dir: string;
  version?: string;
  dryRun?: boolean;
  /** Push the commit and the tag when there is a remote (default true). */
  push?: boolean;
  /** A markdown list of what changes, in the platform team's words: the changelog entry starts with it. */
  notes?: string;
  now?: Date;
}

export interface ExampleFailure {
  template: string;
  example: string;
  findings: Finding[];
  /** A migration that leaves the example an invalid manifest: repositories upgraded through it would be refused. */
  migration?: string;
}

export interface PublishResult {
  version: string;
  previous: string | null;
  entries: ChangelogEntry[];
  /** Examples whose rendering did not validate clean: nothing was published. */
  failures: ExampleFailure[];
  commit?: string;
  pushed: boolean;
  /** Only the tag was missing (a run that died after its commit): tagged now, nothing rewritten. */
  resumed?: boolean;
}

export { CHANGELOG_JSON, CHANGELOG_MD } from './changelog.js';

/**
 * `platform publish`: render every example of every template with the working tree at the new version,
 * require each to validate with zero findings, write the changelog (what changes in generated repositories
 * since the newest tag), set the version in each template.yaml, commit, tag vX.Y.Z, push.
 * Everything that can refuse does so before the first write.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const dir = resolve(options.dir);
  if (!existsSync(join(dir, 'settings.yaml'))) throw new UserError('has no settings.yaml: run publish in a template source', dir);
  const templates = templatesIn(dir);
  const notes = options.notes ? parseNotes(readNotes(options.notes), options.notes) : undefined;
  const target = await releaseTarget(dir, options, templates);
  const { version, previous } = target;
  // A run that committed and then died before tagging: the release is written, only the tag is missing.
  if ('resumable' in target && target.resumable) {
    await tag(target.git!, dir, version, templates);
    const pushed = options.push !== false && (await pushRelease(target.git!, dir, version));
    return { version, previous, entries: [], failures: [], pushed, resumed: true };
  }
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  const entries: ChangelogEntry[] = [];
  const failures: ExampleFailure[] = [];
  for (const name of templates) {
    const current = loadTemplateSource(dir, name);
    const next: TemplateSource = { ...current, template: { ...current.template, version }, origin: { spec: dir, commit: null } };
    const before = await target.before(name);
    const entry: ChangelogEntry = { template: name, version, previous: before ? previous : null, date, ...(notes ? { notes } : {}), migrations: [], examples: [] };
    const migrations = migrationsFor(next.template.migrations ?? [], previous ?? '0.0.0');
    entry.migrations = migrations.map(describeMigration);
    for (const example of examplesOf(dir, name)) {
      const broken = migrationProblem(join(dir, name, 'examples', example), migrations, next);
      if (broken) failures.push({ template: name, example, findings: [], migration: broken });
      const rendered = renderExample(join(dir, name, 'examples', example), next);
      const findings = (await validateFiles(asTree(rendered), { settingsFile: join(dir, 'settings.yaml') })).findings.filter((finding) => !finding.waived);
      if (findings.length) failures.push({ template: name, example, findings });
      if (before) entry.examples.push(changesSince(before, join(dir, name, 'examples', example), rendered));
    }
    entries.push(entry);
  }
  const result: PublishResult = { version, previous, entries, failures, pushed: false };
  if (failures.length || options.dryRun) return result;
  writeRelease(dir, templates, entries, version);
  const written = [CHANGELOG_MD, CHANGELOG_JSON, ...templates.map((name) => join(name, 'template.yaml'))].map((path) => join(dir, path));
  const finished = await target.finish([...written, ...target.extraFiles]);
  result.commit = finished.commit;
  result.pushed = options.push !== false && finished.pushed;
  return result;
}

/** The package's own templates/ releases as a snapshot; anything else must be in a git repository. */
async function releaseTarget(dir: string, options: PublishOptions, templates: string[]): Promise<ReleaseTarget & { resumable?: boolean }> {
  const root = embeddedPackage(dir);
  if (root) return embeddedTarget(dir, root, options, templates);
  const git = await gitRepository(dir, 'the template source');
  if (!git) throw new UserError('is not in a git repository: a version is a git tag', dir);
  return gitTarget(dir, git, options, templates);
}

function readNotes(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the release notes: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, file);
  }
}

function templatesIn(dir: string): string[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'template.yaml')))
    .map((entry) => entry.name)
    .sort();
  if (!names.length) throw new UserError('has no template (a folder with a template.yaml)', dir);
  return names;
}

function examplesOf(dir: string, template: string): string[] {
  const folder = join(dir, template, 'examples');
  const examples = existsSync(folder) ? readdirSync(folder).filter((file) => /\.ya?ml$/.test(file)).sort() : [];
  if (!examples.length) throw new UserError(`no examples to render: add platform.yaml files to ${template}/examples/, one per runtime, database and secret combination`, dir);
  return examples;
}

/**
 * What a repository generated from this example at the previous version sees change. An example the
 * previous version could not render (it uses a setting or field new in this release) is new: no "before".
 */
function changesSince(before: TemplateSource, file: string, rendered: RenderedFile[]): ExampleChanges {
  const name = basename(file).replace(/\.ya?ml$/, '');
  let old: RenderedFile[];
  try {
    old = renderExample(file, before);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { ...exampleChanges(name, [], rendered), new: true };
  }
  return exampleChanges(name, old, rendered);
}

function renderExample(file: string, source: TemplateSource): RenderedFile[] {
  const { manifest } = readManifest(file, source.settings);
  return render({ ...manifest, spec: { ...manifest.spec, template: { name: source.template.name, version: source.template.version } } }, source).files;
}

/** The example's manifest after the migrations: still valid, or what a repository's upgrade would stop on. */
function migrationProblem(file: string, migrations: Migration[], source: TemplateSource): string | undefined {
  if (!migrations.length) return undefined;
  const doc = parseDocument(readFileSync(file, 'utf8'));
  let applied: string[];
  try {
    applied = migrateDocument(doc, migrations);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  const [problem] = manifestProblems(doc.toJS(), source.settings);
  return problem ? `after the migrations (${applied.join('; ')}): ${problem.message}` : undefined;
}

function asTree(files: RenderedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [file.path, file.content]));
}

function writeRelease(dir: string, templates: string[], entries: ChangelogEntry[], version: string): void {
  const read = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
  let markdown = read(join(dir, CHANGELOG_MD));
  let json = read(join(dir, CHANGELOG_JSON));
  for (const entry of [...entries].reverse()) {
    markdown = prependEntry(markdown, entry);
    json = prependJsonEntry(json, entry, CHANGELOG_JSON);
  }
  for (const name of templates) {
    const file = join(dir, name, 'template.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.set('version', version);
    writeFileSync(file, doc.toString({ lineWidth: 0 }));
  }
  writeFileSync(join(dir, CHANGELOG_MD), markdown!);
  writeFileSync(join(dir, CHANGELOG_JSON), json!);
}
