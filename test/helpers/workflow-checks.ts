/**
 * Checks of a repository's GitHub workflows, each a function of a repository folder so that every suite
 * that generates repositories (the workflow tests, the generator's yeoman-test matrix) runs the same ones.
 * Each returns problems as `file:line: message [check]` lines (actionlint's shape); none means it passed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The release of actionlint the workflows are checked with (`.ci/run` builds it with `go install`). */
export const ACTIONLINT_VERSION = '1.7.12';

/**
 * The actionlint binary: $ACTIONLINT, else `actionlint` on PATH, with the version it reports; undefined with
 * the reason when there is none, so that a suite skips its actionlint tests and says why.
 */
export function findActionlint(): { path: string; version: string } | { path?: undefined; reason: string } {
  const candidate = process.env.ACTIONLINT || 'actionlint';
  const result = spawnSync(candidate, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    return {
      reason: `no actionlint: set ACTIONLINT or put actionlint ${ACTIONLINT_VERSION} on PATH (GOBIN=/tmp/gobin go install github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION})`,
    };
  }
  return { path: candidate, version: result.stdout.split('\n')[0]!.trim().replace(/^v/, '') };
}

/** The title of an actionlint test: itself when actionlint is there, else the reason it is skipped. */
export function actionlintTitle(title: string): string {
  const found = findActionlint();
  return found.path ? title : `${title} (skipped: ${found.reason})`;
}

/**
 * Findings of actionlint (the binary of findActionlint) on a repository's workflows, none dropped. It runs in
 * a copy of .github/workflows in a fresh git repository: actionlint needs a project to resolve the local
 * reusable workflows that one workflow calls in another (`uses: ./.github/workflows/x.yml`).
 */
export function actionlintProblems(repoDir: string): string[] {
  const found = findActionlint();
  if (!found.path) throw new Error(found.reason);
  const files = readWorkflows(repoDir);
  if (files.length === 0) return [];
  const project = mkdtempSync(join(tmpdir(), 'platform-actionlint-'));
  try {
    cpSync(join(repoDir, WORKFLOWS_DIR), join(project, WORKFLOWS_DIR), { recursive: true });
    mkdirSync(join(project, '.git'));
    const result = spawnSync(found.path, ['-format', '{{json .}}', ...files.map((file) => file.path)], { cwd: project, encoding: 'utf8' });
    if (result.error || (result.status !== 0 && result.status !== 1)) throw new Error(`actionlint failed: ${result.error ?? result.stderr}`);
    const findings = JSON.parse(result.stdout || '[]') as Array<{ filepath: string; line: number; column: number; message: string; kind: string }>;
    return findings.map((finding) => `${finding.filepath}:${finding.line}:${finding.column}: ${finding.message} [actionlint ${finding.kind}]`);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
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
 * scopes), and `write-all` nowhere; jobs widen it for themselves only. A workflow that only `workflow_call`
 * starts may leave them out: its caller's job grants are its limit.
 */
export function permissionProblems(repoDir: string): string[] {
  const problems: string[] = [];
  for (const file of readWorkflows(repoDir)) {
    const top = file.value?.permissions;
    const on = file.value?.on;
    const onlyCalled = typeof on === 'object' && on !== null && !Array.isArray(on) && Object.keys(on).join() === 'workflow_call';
    if (top === undefined && onlyCalled) {
      // Bounded by the caller.
    } else if (top === undefined) {
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

/** Every check above that needs no tool run; actionlintProblems is separate because it needs the actionlint binary. */
export function staticWorkflowProblems(repoDir: string, own: OwnReferences): string[] {
  return [...schemaProblems(repoDir), ...pinProblems(repoDir, own), ...permissionProblems(repoDir), ...runExpressionProblems(repoDir)];
}

/** The `needs:` of a job as a list. */
export function needsOf(job: any): string[] {
  const needs = job?.needs;
  return needs === undefined ? [] : Array.isArray(needs) ? needs.map(String) : [String(needs)];
}
