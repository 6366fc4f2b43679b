import semver from 'semver';
import { UserError } from '../core/errors.js';
import { hasPendingTransaction, readRepositoryFile, TXN_FOLDER } from '../core/transaction.js';
import { MANIFEST_FILE } from '../manifest/types.js';
import { sha256 } from '../render/render.js';
import { openSource, type SourceCache } from '../source/index.js';
import { sourceBehind } from './upgrade.js';
import { manifestEdited, readRecord, recordedSource } from '../generate/record.js';
import { CONFLICT_MARKER } from '../merge/three-way.js';

/** The conditions `platform check` reports; each makes it exit 1 unless `--ignore`d. */
export const CONDITIONS = ['outdated', 'drifted', 'manifest-edited', 'conflicts', 'interrupted'] as const;
export type Condition = (typeof CONDITIONS)[number];

export interface Finding {
  condition: Condition;
  /** The file it concerns, when there is one. */
  path?: string;
  line?: number;
  message: string;
}

export interface CheckReport {
  source: string;
  template: string;
  current: string;
  latest: string;
  findings: Finding[];
}


/**
 * `platform check`: is the repository on the newest version of its own source, did a managed file drift
 * from what its version rendered, was platform.yaml edited since the last render, are conflict markers
 * left from an upgrade, did a write stop half way. Read-only: it reports, `platform upgrade` acts.
 */
export async function checkRepository(root: string, options: { source?: string; cache?: SourceCache } = {}): Promise<CheckReport> {
  const record = readRecord(root);
  const source = options.source ?? recordedSource(record).spec;
  const opened = await openSource(source, { cwd: options.source ? process.cwd() : root, cache: options.cache });
  const latest = await opened.newest();
  const current = record.template.version;
  if (semver.lt(latest, current)) throw sourceBehind(opened.spec, latest, current);
  const findings: Finding[] = [];
  if (hasPendingTransaction(root)) {
    findings.push({ condition: 'interrupted', message: `an interrupted change waits in ${TXN_FOLDER}: the next \`platform add\` or \`platform upgrade\` finishes it` });
  }
  if (semver.valid(current) && semver.gt(latest, current)) {
    // A folder holds one version: once it moved on, the recorded one (the base of the merge) is gone.
    const how = opened.kind === 'folder' ? 'upgrade from a git repository of the templates with version tags (`platform upgrade --source`)' : 'run `platform upgrade`';
    findings.push({ condition: 'outdated', message: `template ${record.template.name}@${current}, latest is ${latest}: ${how}` });
  }
  const manifestText = readRepositoryFile(root, MANIFEST_FILE);
  if (manifestText === undefined) {
    findings.push({ condition: 'manifest-edited', path: MANIFEST_FILE, message: `${MANIFEST_FILE} is missing: it is the input of every re-render; restore it from git history` });
  } else if (manifestEdited(record, manifestText)) {
    findings.push({ condition: 'manifest-edited', path: MANIFEST_FILE, message: `${MANIFEST_FILE} was edited since the last render: run \`platform upgrade\`` });
  }
  for (const [path, entry] of Object.entries(record.files)) {
    if (path === MANIFEST_FILE) continue;
    let text: string | undefined;
    try {
      text = readRepositoryFile(root, path);
    } catch (error) {
      // A link out of the repository, a FIFO, a folder: not what the template rendered, and never opened.
      if (!(error instanceof UserError)) throw error;
      findings.push({ condition: 'drifted', path, message: `${path}: ${error.message}` });
      continue;
    }
    if (entry.mode === 'managed') {
      if (text === undefined) findings.push({ condition: 'drifted', path, message: `managed file ${path} is missing: run \`platform upgrade\` to restore it` });
      else if (sha256(text) !== entry.sha256) findings.push({ condition: 'drifted', path, message: `managed file ${path} differs from what template ${current} rendered: move the change into platform.yaml, or delete the file and run \`platform upgrade\` to restore it` });
    }
    const line = text === undefined ? -1 : text.split('\n').findIndex((row) => CONFLICT_MARKER.test(row));
    if (line >= 0) findings.push({ condition: 'conflicts', path, line: line + 1, message: `${path}:${line + 1}: conflict markers left from an upgrade: resolve them and remove the markers` });
  }
  return { source, template: record.template.name, current, latest, findings };
}
