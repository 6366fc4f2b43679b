/**
 * Which values of a workflow or a composite action an outsider controls, followed as GitHub evaluates
 * them: each `${{ }}` is parsed by GitHub's expression parser (src/workflow) and its value traced to its
 * sources: a text field of the event, an input of a dispatched or called workflow or of the action, and
 * what carries them on: `env:` at every level, `$GITHUB_ENV` and `$GITHUB_OUTPUT` written by earlier steps,
 * step and job outputs. Comparisons and boolean functions yield no text, so `contains(title, 'x')` is safe.
 */
import type { ExpressionNode, WorkflowLanguage } from '../../workflow/types.js';
import type { RepositoryFile, YamlDocument } from '../../validate/types.js';
import { isPlainObject } from '../select.js';
import { expressionsIn, jobsOf, stepsOf, triggersOf, type Step } from './workflow-steps.js';

export type Confidence = 'high' | 'medium' | 'low';

export interface Taint {
  confidence: Confidence;
  /** What an outsider writes, in words: `github.event.issue.title`, `input "name" of workflow_dispatch`. */
  source: string;
}

export interface TaintRules {
  /** Context paths (lower case, `.`-joined, `*` for any index) whose text an outsider writes. */
  sources: Array<{ test(text: string): boolean }>;
  /** Objects that hold such text (`github.event`), untrusted when used whole (`toJSON(github.event)`). */
  objects: Array<{ test(text: string): boolean }>;
  /** Actions whose outputs carry untrusted text (file names of a pull request): action -> output names, `*` for all. */
  outputs: Record<string, string[]>;
}

type Names = Map<string, Taint>;

export interface StepScope {
  step: Step;
  /** Innermost first: the step's env, variables earlier steps wrote to $GITHUB_ENV, the job's, the workflow's. */
  env: Names[];
  steps: Map<string, Names>;
  needs: Map<string, Names>;
}

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const BOOLEAN_FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'success', 'always', 'failure', 'cancelled', 'hashfiles']);
const NO_TEXT_OPERATORS = new Set(['==', '!=', '<', '>', '<=', '>=', '!']);
const LINE_LIMIT = 2000;

export function strongest(taints: Array<Taint | undefined>): Taint | undefined {
  let best: Taint | undefined;
  for (const taint of taints) if (taint && (!best || RANK[taint.confidence] > RANK[best.confidence])) best = taint;
  return best;
}

function weaker(taint: Taint | undefined, via: string): Taint | undefined {
  return taint && { confidence: taint.confidence === 'high' ? 'medium' : taint.confidence, source: `${taint.source} via ${via}` };
}

export class WorkflowTaint {
  private readonly inputs: Names;
  private readonly cache = new Map<string, ExpressionNode>();

  constructor(
    private readonly language: WorkflowLanguage,
    private readonly file: RepositoryFile,
    private readonly doc: YamlDocument,
    private readonly rules: TaintRules,
  ) {
    this.inputs = inputsOf(file, doc);
  }

  /** The strongest untrusted source of an expression's value (its inner text, without `${{ }}`), if any. */
  expression(inner: string, scope: Omit<StepScope, 'step'>): Taint | undefined {
    let node = this.cache.get(inner);
    if (!node) {
      node = this.language.parseExpression(inner);
      this.cache.set(inner, node);
    }
    return this.node(node, scope);
  }

  /** Every `${{ }}` of a text (an env value, a script), the strongest first. */
  text(text: string, scope: Omit<StepScope, 'step'>): Taint | undefined {
    const found: Array<Taint | undefined> = [];
    for (const expression of expressionsIn(text)) found.push(this.expression(expression.inner, scope));
    return strongest(found);
  }

  /** A shell variable of the script's environment (`$TITLE`, `${TITLE}`) holding untrusted text. */
  shell(text: string, scope: Omit<StepScope, 'step'>): Taint | undefined {
    const found: Array<Taint | undefined> = [];
    for (const match of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]{0,100})/g)) found.push(lookup(scope.env, match[1]!));
    return strongest(found);
  }

  private node(node: ExpressionNode, scope: Omit<StepScope, 'step'>): Taint | undefined {
    switch (node.kind) {
      case 'literal':
      case 'error':
        return undefined;
      case 'call':
        return BOOLEAN_FUNCTIONS.has(node.name) ? undefined : strongest(node.args.map((arg) => this.node(arg, scope)));
      case 'operator':
        if (NO_TEXT_OPERATORS.has(node.operator)) return undefined;
        // `a[b]`: the value is a part of `a`, whatever `b` is.
        return node.operator === '[]' ? this.node(node.args[0]!, scope) : strongest(node.args.map((arg) => this.node(arg, scope)));
      case 'path':
        return this.path(node.parts, scope);
    }
  }

  private path(parts: string[], scope: Omit<StepScope, 'step'>): Taint | undefined {
    const [head, second, third, fourth] = parts;
    if (head === 'github' && second === 'event' && third === 'inputs' && fourth) return this.inputs.get(fourth) ?? (fourth === '*' ? strongest([...this.inputs.values()]) : undefined);
    if (head === 'github') {
      const dotted = parts.join('.');
      if (this.rules.sources.some((pattern) => pattern.test(dotted))) return { confidence: 'high', source: dotted };
      if (this.rules.objects.some((pattern) => pattern.test(dotted))) return { confidence: 'high', source: `${dotted}, which holds text an outsider writes` };
      return undefined;
    }
    if (head === 'inputs' && second) return second === '*' ? strongest([...this.inputs.values()]) : this.inputs.get(second);
    if (head === 'env' && second) return lookup(scope.env, second, true);
    if (head === 'steps' && second && third === 'outputs' && fourth) return outputOf(scope.steps.get(second), fourth);
    if (head === 'needs' && second && third === 'outputs' && fourth) return outputOf(scope.needs.get(second), fourth);
    return undefined;
  }

  /**
   * Walks the steps of every job (or of the composite action) in order, with what each one can read.
   * Jobs are walked until their outputs settle, so `needs` of a job declared later are known too.
   */
  walk(visit: (scope: StepScope) => void): void {
    const root = isPlainObject(this.doc.value) ? this.doc.value : {};
    const needs = new Map<string, Names>();
    const top = this.envOf(root.env, { env: [], steps: new Map(), needs });
    const jobs = jobsOf(this.file, this.doc);
    const steps = stepsOf(this.file, this.doc);
    const groups = jobs.length > 0 ? jobs.map((job) => ({ job: job.value, id: job.id as string | undefined, steps: steps.filter((step) => step.jobId === job.id) })) : [{ job: {} as Record<string, unknown>, id: undefined, steps }];
    for (let pass = 0; pass < 3; pass += 1) {
      const last = pass === 2 || jobs.length < 2;
      for (const group of groups) this.walkJob(group, top, needs, last ? visit : undefined);
      if (last) break;
    }
  }

  private walkJob(group: { job: Record<string, unknown>; id: string | undefined; steps: Step[] }, top: Names, needs: Map<string, Names>, visit: ((scope: StepScope) => void) | undefined): void {
    const outputs = new Map<string, Names>();
    const jobEnv = this.envOf(group.job.env, { env: [top], steps: outputs, needs });
    const written: Names = new Map();
    for (const step of group.steps) {
      const outer = [written, jobEnv, top];
      const stepEnv = this.envOf(step.value.env, { env: outer, steps: outputs, needs });
      const scope: StepScope = { step, env: [stepEnv, ...outer], steps: outputs, needs };
      visit?.(scope);
      this.recordWrites(scope, written, outputs);
    }
    if (group.id && isPlainObject(group.job.outputs)) {
      const names: Names = new Map();
      for (const [name, value] of Object.entries(group.job.outputs)) {
        const taint = typeof value === 'string' ? this.text(value, { env: [jobEnv, top], steps: outputs, needs }) : undefined;
        if (taint) names.set(name.toLowerCase(), taint);
      }
      needs.set(group.id.toLowerCase(), names);
    }
  }

  /** github-script's `context.payload.X` is `github.event.X`: the strongest untrusted one a script reads. */
  private payloadTaint(script: string, scope: Omit<StepScope, 'step'>): Taint | undefined {
    const found: Array<Taint | undefined> = [];
    for (const match of script.slice(0, 20_000).matchAll(/context\.payload((?:\.[A-Za-z_][A-Za-z0-9_]{0,100}|\[\d{1,6}\]){1,20})/g)) {
      const parts = match[1]!.split(/\.|\[|\]/).filter(Boolean).map((part) => (/^\d+$/.test(part) ? '*' : part.toLowerCase()));
      found.push(this.path(['github', 'event', ...parts], scope));
    }
    return strongest(found);
  }

  private envOf(env: unknown, scope: Omit<StepScope, 'step'>): Names {
    const names: Names = new Map();
    if (!isPlainObject(env)) return names;
    for (const [name, value] of Object.entries(env)) {
      const taint = typeof value === 'string' ? this.text(value, scope) : undefined;
      if (taint) names.set(name, taint);
    }
    return names;
  }

  /** What a step leaves for the next ones: $GITHUB_ENV variables, $GITHUB_OUTPUT outputs, known actions' outputs. */
  private recordWrites(scope: StepScope, written: Names, outputs: Map<string, Names>): void {
    const { step } = scope;
    const id = typeof step.value.id === 'string' ? step.value.id.toLowerCase() : undefined;
    const mine: Names = new Map();
    if (typeof step.value.run === 'string') {
      for (const write of untrustedWrites(this, step.value.run, scope)) {
        if (write.target === 'GITHUB_ENV' && write.name) written.set(write.name, weaker(write.taint, '$GITHUB_ENV')!);
        if (write.target === 'GITHUB_OUTPUT' && write.name) mine.set(write.name.toLowerCase(), weaker(write.taint, `steps.${id}.outputs`)!);
      }
    }
    const uses = typeof step.value.uses === 'string' ? step.value.uses.trim().toLowerCase() : '';
    const action = uses.split('@')[0]!;
    const script = isPlainObject(step.value.with) ? step.value.with.script : undefined;
    if (action === 'actions/github-script' && typeof script === 'string' && /\breturn\b/.test(script)) {
      const returned = this.payloadTaint(script, scope);
      if (returned) mine.set('result', weaker(returned, `steps.${id}.outputs.result`)!);
    }
    const tainted = this.rules.outputs[action];
    if (tainted) for (const name of tainted) mine.set(name.toLowerCase(), { confidence: 'medium', source: `output "${name}" of ${action}, which lists what the pull request changed` });
    if (id && mine.size > 0) outputs.set(id, mine);
  }
}

export interface UntrustedWrite {
  target: 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_OUTPUT';
  /** The variable or output written (`NAME=...` or `NAME<<EOF`), where the line names one. */
  name?: string;
  /** The line of the script, for the finding. */
  line: string;
  taint: Taint;
}

const TARGET = /\$\{?(GITHUB_ENV|GITHUB_PATH|GITHUB_OUTPUT)\b/;

/**
 * Lines of a script that append untrusted text (an expression or a shell variable) to a $GITHUB_* file:
 * one line with its own `>> "$GITHUB_OUTPUT"`, or the lines of a `{ ...; } >> "$GITHUB_OUTPUT"` group. A
 * multi-line value (`name<<EOF`, its lines, `EOF`) is written to the name its first line gives.
 */
export function untrustedWrites(taint: WorkflowTaint, script: string, scope: Omit<StepScope, 'step'>): UntrustedWrite[] {
  const writes: UntrustedWrite[] = [];
  const lines = script.split('\n').slice(0, LINE_LIMIT);
  const groups = groupTargets(lines);
  let heredoc: { name: string; delimiter: string } | undefined;
  lines.forEach((line, index) => {
    const own = TARGET.exec(line)?.[1] as UntrustedWrite['target'] | undefined;
    const target = own && />>?/.test(line) ? own : groups[index];
    if (!target) return;
    const opened = /(?:^|[\s"'])([A-Za-z_][A-Za-z0-9_-]{0,100})<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]{0,50})/.exec(line);
    if (heredoc && new RegExp(`(^|[\\s"'])${heredoc.delimiter}(["']|\\s|$)`).test(line) && !opened) {
      heredoc = undefined;
      return;
    }
    const found = strongest([taint.text(line, scope), taint.shell(line.replace(/\$\{?GITHUB_(ENV|PATH|OUTPUT)\}?/g, ''), scope)]);
    const name = /(?:^|[\s"'])([A-Za-z_][A-Za-z0-9_-]{0,100})(?:=|<<)/.exec(line)?.[1] ?? heredoc?.name;
    if (opened) heredoc = { name: opened[1]!, delimiter: opened[2]! };
    if (found) writes.push({ target, name, line, taint: found });
  });
  return writes;
}

/** For each line inside a `{` ... `} >> "$GITHUB_X"` group, the file the group appends to. */
function groupTargets(lines: string[]): Array<UntrustedWrite['target'] | undefined> {
  const targets: Array<UntrustedWrite['target'] | undefined> = [];
  let start: number | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '{') start = index;
    const closed = /^\s*\}\s*>>/.test(line) ? (TARGET.exec(line)?.[1] as UntrustedWrite['target'] | undefined) : undefined;
    if (start !== undefined && /^\s*\}/.test(line)) {
      if (closed) for (let inner = start + 1; inner < index; inner += 1) targets[inner] = closed;
      start = undefined;
    }
  });
  return targets;
}

/** A variable's taint, innermost level first; `env.NAME` in an expression ignores case, `$NAME` does not. */
function lookup(levels: Names[], name: string, ignoreCase = false): Taint | undefined {
  for (const level of levels) {
    const found = level.get(name) ?? (ignoreCase ? [...level].find(([key]) => key.toLowerCase() === name)?.[1] : undefined);
    if (found) return found;
  }
  return undefined;
}

function outputOf(names: Names | undefined, output: string): Taint | undefined {
  if (!names) return undefined;
  return output === '*' ? strongest([...names.values()]) : names.get(output) ?? names.get('*');
}

/** Inputs of a dispatched or called workflow that take free text, and every input of an action. */
function inputsOf(file: RepositoryFile, doc: YamlDocument): Names {
  const names: Names = new Map();
  const root = doc.value;
  if (!isPlainObject(root)) return names;
  if (file.kind === 'action') {
    if (isPlainObject(root.inputs)) for (const name of Object.keys(root.inputs)) names.set(name.toLowerCase(), { confidence: 'medium', source: `input "${name}" of this action, which its callers may fill with untrusted text` });
    return names;
  }
  const on = root.on ?? root.true;
  if (!isPlainObject(on)) return names;
  for (const event of triggersOf(doc).filter((name) => name === 'workflow_dispatch' || name === 'workflow_call')) {
    const declared = isPlainObject(on[event]) && isPlainObject((on[event] as Record<string, unknown>).inputs) ? ((on[event] as Record<string, unknown>).inputs as Record<string, unknown>) : {};
    for (const [name, input] of Object.entries(declared)) {
      const type = isPlainObject(input) && typeof input.type === 'string' ? input.type : 'string';
      if (type === 'string') names.set(name.toLowerCase(), { confidence: 'medium', source: `input "${name}" of ${event}, free text its caller types` });
    }
  }
  return names;
}
