import { threeWayMerge } from '../merge/three-way.js';
import { MANIFEST_FILE } from '../manifest/types.js';
import { RECORD_FILE, type RenderedFile } from '../render/render.js';
import type { Mode } from '../render/source.js';

/** What happens to one file of the repository: the words `platform upgrade` prints, one line each. */
export type FileAction = 'added' | 'updated' | 'merged' | 'conflict' | 'kept' | 'removed';

export interface FileOutcome {
  path: string;
  mode: Mode;
  action: FileAction;
  /** The new content; absent for `kept` and `removed`. */
  content?: string;
  /** Why, when the action alone does not say it: a warning for the person reading the output. */
  note?: string;
}

export interface FilePlanInput {
  /** What the recorded version rendered from the recorded answers, by path. */
  base: Map<string, RenderedFile>;
  /** What the target version renders from the (migrated) platform.yaml. */
  target: RenderedFile[];
  /** The repository's file today, or undefined when it is not there. */
  read: (path: string) => string | undefined;
  /** Whether it is there: cheaper than reading, for files the template did not change. */
  exists?: (path: string) => boolean;
  /** For merge labels: the recorded and the target version. */
  from: string;
  to: string;
}

/**
 * The per-mode merge plan (docs/lifecycle.md). A team's edit is never lost: a managed file the team
 * changed is merged like a merged file, with a note; a template file that lands on a team file is merged
 * from an empty base, so both are kept and marked; a dropped file the team changed is kept.
 * platform.yaml and the record are the caller's: they are not planned here.
 */
export function planFiles(input: FilePlanInput): FileOutcome[] {
  const outcomes: FileOutcome[] = [];
  const targetPaths = new Set<string>();
  // On one version (platform add), "before" and "after" tell the two renders apart.
  const same = input.from === input.to;
  const labels = (path: string) => ({
    ours: `${path} (your repository)`,
    base: `${path} (template ${input.from}${same ? ', before' : ''})`,
    theirs: `${path} (template ${input.to}${same ? ', after' : ''})`,
    file: path,
  });
  const merge = (path: string, mode: Mode, ours: string, base: string, theirs: string, note?: string): FileOutcome => {
    const result = threeWayMerge(ours, base, theirs, labels(path));
    return { path, mode, action: result.conflicts > 0 ? 'conflict' : 'merged', content: result.content, note };
  };
  for (const file of input.target) {
    targetPaths.add(file.path);
    if (file.path === MANIFEST_FILE || file.path === RECORD_FILE) continue;
    const base = input.base.get(file.path)?.content;
    // A file the template did not change needs no read: a team's version of it is kept whatever it is,
    // and only a managed one that is gone is written again.
    if (base !== undefined && base === file.content) {
      const gone = file.mode === 'managed' && !(input.exists ?? ((path: string) => input.read(path) !== undefined))(file.path);
      if (gone) outcomes.push({ path: file.path, mode: file.mode, action: 'added', content: file.content, note: 'managed file was missing: restored' });
      continue;
    }
    const outcome = planOne(file, base, input.read(file.path), merge, input.base.get(file.path)?.mode);
    if (outcome) outcomes.push(outcome);
  }
  for (const [path, file] of input.base) {
    if (targetPaths.has(path) || path === MANIFEST_FILE || path === RECORD_FILE || file.mode === 'seeded') continue;
    const current = input.read(path);
    if (current === undefined) continue;
    if (current === file.content) outcomes.push({ path, mode: file.mode, action: 'removed' });
    else outcomes.push({ path, mode: file.mode, action: 'kept', note: `template ${input.to} no longer has it, but it was edited: kept` });
  }
  return outcomes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type Merge = (path: string, mode: Mode, ours: string, base: string, theirs: string, note?: string) => FileOutcome;

function planOne(file: RenderedFile, base: string | undefined, current: string | undefined, merge: Merge, baseMode?: Mode): FileOutcome | undefined {
  const { path, mode, content: target } = file;
  if (base === undefined) {
    // New in this template version.
    if (current === undefined) return { path, mode, action: 'added', content: target };
    if (current === target) return undefined;
    if (mode === 'seeded') return { path, mode, action: 'kept', note: 'a file of yours is already there: kept, the template\'s is not written' };
    return merge(path, mode, current, '', target, 'a file of yours was already there: merged with the template\'s');
  }
  if (mode === 'seeded') return undefined;
  if (current === undefined) {
    // Deleted by the team. Managed files are the platform's: they come back. A merged file stays
    // deleted unless the template changed it, which is a modify/delete conflict for the team to settle.
    if (mode === 'managed') return { path, mode, action: 'added', content: target, note: 'managed file was missing: restored' };
    if (base === target) return undefined;
    return { path, mode, action: 'conflict', content: target, note: 'you deleted it and the template changed it: the template\'s version is written; delete it again if you do not want it' };
  }
  if (current === target || base === target) return undefined;
  if (current === base) return { path, mode, action: 'updated', content: target };
  // A file that was the team's (seeded) and that the platform now manages: the team's edits are merged in
  // this once; from now on an edit is drift.
  const handedOver = baseMode === 'seeded' && mode === 'managed';
  const note = handedOver
    ? 'was yours (seeded) and is managed by the platform from this version: merged, your edits kept; from now on an edit is drift'
    : mode === 'managed'
      ? 'managed file was edited in the repository: merged, not replaced; move the edit into platform.yaml or a merged file'
      : undefined;
  return merge(path, mode, current, base, target, note);
}
