/** The parts of GitHub workflows and composite actions that several checks walk: triggers, jobs, steps. */
import type { NodePath, RepositoryFile, YamlDocument } from '../../validate/types.js';
import type { CheckContext } from '../context.js';
import { isPlainObject } from '../select.js';

export interface Step {
  file: RepositoryFile;
  doc: YamlDocument;
  path: NodePath;
  value: Record<string, unknown>;
  jobId?: string;
}

export interface Job {
  file: RepositoryFile;
  doc: YamlDocument;
  id: string;
  path: NodePath;
  value: Record<string, unknown>;
}

/** The params of a check that looks at the workflows on the given `triggers` only (triggersOf). */
export const TRIGGERS_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['triggers'],
  properties: { triggers: { type: 'array', items: { type: 'string', minLength: 1 } } },
};

export function jobsOf(file: RepositoryFile, doc: YamlDocument): Job[] {
  const root = doc.value;
  if (!isPlainObject(root) || !isPlainObject(root.jobs)) return [];
  return Object.entries(root.jobs)
    .filter((entry): entry is [string, Record<string, unknown>] => isPlainObject(entry[1]))
    .map(([id, value]) => ({ file, doc, id, path: ['jobs', id], value }));
}

/** Steps of every job of a workflow, or of a composite action's `runs.steps`. */
export function stepsOf(file: RepositoryFile, doc: YamlDocument): Step[] {
  const steps: Step[] = [];
  const root = doc.value;
  if (!isPlainObject(root)) return steps;
  for (const job of jobsOf(file, doc)) {
    if (!Array.isArray(job.value.steps)) continue;
    job.value.steps.forEach((step, index) => {
      if (isPlainObject(step)) steps.push({ file, doc, path: [...job.path, 'steps', index], value: step, jobId: job.id });
    });
  }
  if (isPlainObject(root.runs) && Array.isArray(root.runs.steps)) {
    root.runs.steps.forEach((step, index) => {
      if (isPlainObject(step)) steps.push({ file, doc, path: ['runs', 'steps', index], value: step });
    });
  }
  return steps;
}

/** The events a workflow runs on, whichever of the three shapes `on:` takes. */
export function triggersOf(doc: YamlDocument): string[] {
  const root = doc.value;
  if (!isPlainObject(root)) return [];
  // `on` is a string key in YAML 1.2; a YAML 1.1 reader would have made it `true`.
  const on = root.on ?? root.true;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((event): event is string => typeof event === 'string');
  if (isPlainObject(on)) return Object.keys(on);
  return [];
}

/**
 * Each workflow of the check's files that runs on any of the events of its `triggers` param, with those
 * events (`on`, in the order the workflow names them); a file is a unit of work (context.tick).
 */
export function* workflowsOnTriggers(context: CheckContext): Generator<{ file: RepositoryFile; doc: YamlDocument; on: string[] }> {
  const triggers = context.params.triggers as string[];
  for (const file of context.files()) {
    context.tick(file.path);
    for (const doc of file.documents) {
      const on = triggersOf(doc).filter((event) => triggers.includes(event));
      if (on.length > 0) yield { file, doc, on };
    }
  }
}

/** Characters one expression may span; GitHub's own limit is 21,000, a bound for a hostile file. */
const MAX_EXPRESSION = 4000;

/**
 * The `${{ ... }}` expressions in a string, with their inner text and offset. An expression ends at the
 * first `}}` outside a string literal, so `format('{0}', x)` is one expression.
 */
export function expressionsIn(text: string): Array<{ whole: string; inner: string; index: number }> {
  const found: Array<{ whole: string; inner: string; index: number }> = [];
  for (let start = text.indexOf('${{'); start !== -1; start = text.indexOf('${{', start + 3)) {
    const end = expressionEnd(text, start + 3);
    if (end === undefined) continue;
    found.push({ whole: text.slice(start, end + 2), inner: text.slice(start + 3, end).trim(), index: start });
    start = end - 1;
  }
  return found;
}

function expressionEnd(text: string, from: number): number | undefined {
  let quoted = false;
  const limit = Math.min(text.length - 1, from + MAX_EXPRESSION);
  for (let index = from; index < limit; index += 1) {
    const char = text[index];
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '}' && text[index + 1] === '}') return index;
  }
  return undefined;
}
