/**
 * One local clone, for `platform report DIR...`: its record and platform.yaml, `platform check`'s drift,
 * and `platform validate`'s findings (the library call). A folder that is not a platform repository, or
 * a part that cannot be read, is said in the report; it never stops the others.
 */
import { basename, resolve } from 'node:path';
import { isUserError } from '../../core/errors.js';
import { readRepositoryFile } from '../../core/safe-fs.js';
import { readRecord, recordedSource } from '../../generate/record.js';
import { MANIFEST_FILE } from '../../manifest/types.js';
import { checkRepository } from '../../upgrade/check.js';
import { validateRepository } from '../../validate/index.js';
import { behindBy, releasesOf, type ReleasesCache } from './releases.js';
import { ownerOf, parseManifestText, summarizeFindings, waiversOf } from './repository.js';
import type { RepositoryReport } from './types.js';
import type { SourceCache } from '../../source/index.js';

export interface InspectContext {
  now: Date;
  sources: SourceCache;
  releases: ReleasesCache;
}

export async function inspectDirectory(dir: string, context: InspectContext): Promise<RepositoryReport> {
  const root = resolve(dir);
  const report: RepositoryReport = { name: basename(root), location: root };
  let record;
  try {
    record = readRecord(root);
  } catch (error) {
    return { ...report, error: `not a platform repository: ${reason(error)}` };
  }
  const manifest = parseManifestText(safely(() => readRepositoryFile(root, MANIFEST_FILE)));
  const problems: string[] = [];
  report.owner = ownerOf(manifest, record.answers);
  report.template = record.template.name;
  report.version = record.template.version;
  try {
    const releases = await releasesOf(recordedSource(record).spec, root, context);
    report.latest = releases.latest;
    report.behind = behindBy(record.template.version, releases, context.now);
  } catch (error) {
    problems.push(`template source: ${reason(error)}`);
  }
  try {
    const check = await checkRepository(root, { cache: context.sources });
    report.drift = check.findings.filter((finding) => finding.condition === 'drifted' && finding.path).map((finding) => finding.path!);
  } catch (error) {
    problems.push(`drift: ${reason(error)}`);
  }
  try {
    report.findings = summarizeFindings((await validateRepository(root, { now: context.now })).findings, 'validate');
  } catch (error) {
    problems.push(`validate: ${reason(error)}`);
  }
  report.waivers = waiversOf(manifest, context.now);
  if (problems.length) report.problems = problems;
  return report;
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** A user error's one line; anything else is a bug and goes on up. */
function reason(error: unknown): string {
  if (isUserError(error)) return error.toString();
  throw error;
}
