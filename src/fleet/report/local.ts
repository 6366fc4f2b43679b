/**
 * One local clone, for `platform report DIR...`: its record and platform.yaml, `platform check`'s drift,
 * and `platform validate`'s findings (the library call). A folder that is not a platform repository, or
 * a part that cannot be read, is said in the report; it never stops the others.
 */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describeErrno, isUserError } from '../../core/errors.js';
import { kindOf, readRepositoryFile } from '../../core/safe-fs.js';
import { readRecord, recordedSource } from '../../generate/record.js';
import { MANIFEST_FILE } from '../../manifest/types.js';
import { checkRepository } from '../../upgrade/check.js';
import { validateRepository } from '../../validate/index.js';
import { behindBy, releasesOf, type ReleasesCache } from './releases.js';
import { ownerOf, parseManifestText, summarizeFindings, waiversOf } from './repository.js';
import type { RepositoryReport } from './types.js';
import type { SourceCache } from '../../source/index.js';
import type { GenerationRecord } from '../../render/render.js';
import type { Manifest } from '../../manifest/types.js';
import type { Settings } from '../../settings/settings.js';

export interface InspectContext {
  now: Date;
  sources: SourceCache;
  releases: ReleasesCache;
  /** The organization settings this package carries, loaded once per report: the approvers a waiver must name. */
  settings: Settings;
}

export async function inspectDirectory(dir: string, context: InspectContext): Promise<RepositoryReport> {
  const root = resolve(dir);
  const report: RepositoryReport = { name: basename(root), location: root };
  const kind = kindOfPath(root);
  if (kind) return { ...report, error: kind };
  let record;
  try {
    record = readRecord(root);
  } catch (error) {
    return { ...report, error: `not a platform repository: ${reason(error)}` };
  }
  const manifest = parseManifestText(safely(() => readRepositoryFile(root, MANIFEST_FILE)));
  const problems: string[] = [];
  Object.assign(report, await fromRecord(record, manifest, root, context, problems));
  Object.assign(report, await inspectFiles(root, context, problems));
  if (problems.length) report.problems = problems;
  return report;
}

/** What the record and platform.yaml say, wherever they were read: owner, version, how far behind, waivers. */
export async function fromRecord(record: GenerationRecord, manifest: Manifest | undefined, cwd: string, context: InspectContext, problems: string[]): Promise<Partial<RepositoryReport>> {
  const found: Partial<RepositoryReport> = { owner: ownerOf(manifest, record.answers), template: record.template.name, version: record.template.version };
  try {
    const releases = await releasesOf(recordedSource(record).spec, cwd, context);
    found.latest = releases.latest;
    found.behind = behindBy(record.template.version, releases, context.now);
  } catch (error) {
    problems.push(`template source: ${reason(error)}`);
  }
  // The approvers a waiver must name, when the settings list any.
  found.waivers = waiversOf(manifest, context.now, context.settings);
  return found;
}

/**
 * What only the files can say: drifted managed files (`platform check`) and the findings of `platform
 * validate`, run here as library calls. A part that fails is added to `problems`.
 */
export async function inspectFiles(root: string, context: InspectContext, problems: string[]): Promise<Pick<RepositoryReport, 'drift' | 'findings'>> {
  const found: Pick<RepositoryReport, 'drift' | 'findings'> = {};
  try {
    const check = await checkRepository(root, { cache: context.sources });
    found.drift = check.findings.filter((finding) => finding.condition === 'drifted' && finding.path).map((finding) => finding.path!);
  } catch (error) {
    problems.push(`drift: ${reason(error)}`);
  }
  try {
    found.findings = summarizeFindings((await validateRepository(root, { now: context.now })).findings, 'validate');
  } catch (error) {
    problems.push(`validate: ${reason(error)}`);
  }
  return found;
}

/** Why a path given as a repository is no folder at all, or undefined when it is one. */
function kindOfPath(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? undefined : `not a folder: ${path} is ${kindOf(stat)}`;
  } catch (error) {
    return `cannot read ${path}: ${describeErrno(error)}`;
  }
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** A user error's one line; anything else is a bug and goes on up. */
export function reason(error: unknown): string {
  if (isUserError(error)) return error.toString();
  throw error;
}
