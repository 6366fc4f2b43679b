import * as core from '@actions/core';
import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { UserError, isUserError } from '../core/errors.js';
import { validateRepository } from '../validate/index.js';
import { countFindings, describeCounts, type Counts } from '../report/counts.js';
import { formatSarif } from '../report/sarif.js';
import type { ValidationResult } from '../validate/types.js';
import { changedFirst, emitAnnotations, planAnnotations, type AnnotationsUsed } from './annotations.js';
import { fetchChangedLines, type ChangedLines } from './changed-lines.js';
import { commentBody, upsertComment } from './comment.js';
import { readRunContext, type RunContext } from './context.js';
import { apiBudget, createClient, describeApiError } from './github.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { failingCount, setOutputs } from './outputs.js';
import { summaryMarkdown } from './summary.js';

/**
 * The Action: inputs in, the validator library, reporters out, the step failed when findings reach
 * `fail-on`. Talking to the API (changed lines, the comment) is best effort: when it fails the step says so
 * with a warning, and its result still depends on the findings alone.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await check(env);
  } catch (error) {
    if (isUserError(error)) {
      core.setFailed(error.toString());
    } else {
      core.debug((error as Error)?.stack ?? String(error));
      core.setFailed(`internal error: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}

async function check(env: NodeJS.ProcessEnv): Promise<void> {
  const inputs = readInputs(env);
  const context = readRunContext(env);
  requireDirectory(inputs.root);
  const result = relativeToWorkspace(await validateRepository(inputs.root, { policies: inputs.policies }), inputs.workspace);
  const counts = countFindings(result.findings);
  writeSarif(result, inputs.sarifFile);

  // The action's own warnings are annotations too, and count against the step's ten.
  const used: AnnotationsUsed = { error: 0, warning: 0, info: 0 };
  const warn = (message: string): void => {
    used.warning++;
    core.warning(message);
  };
  const pr = context.pullRequest;
  if (pr && !inputs.token) {
    warn(`no github-token: ${inputs.comment ? 'the pull request comment is skipped and ' : ''}annotations are not ordered by the pull request's changed lines`);
  }
  const client = pr && inputs.token ? createClient(inputs.token, context.apiUrl, apiBudget(inputs.apiTimeoutMs)) : undefined;
  const changed = client && pr ? await changedLines(client, context, pr.number, warn) : new Map<string, Set<number> | 'all'>();
  const open = changedFirst(result.findings.filter((finding) => !finding.waived), changed);
  if (client && pr && inputs.comment) {
    await comment(client, context, pr.number, commentBody({ findings: open, counts, context }), counts, warn);
  }

  const plan = planAnnotations(open, used);
  emitAnnotations(plan.annotated);
  const sarifPath = displayPath(inputs.sarifFile, inputs.workspace);
  writeSummary(env, summaryMarkdown({ result, notAnnotated: plan.notAnnotated, context, sarifFile: sarifPath }));
  setOutputs(counts, sarifPath);
  report(counts, plan.notAnnotated.length, inputs);
}

function requireDirectory(root: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    // reported below, naming the input
  }
  if (!isDirectory) throw new UserError(`input path: ${root} is not a directory`);
}

/**
 * Findings name files relative to the validated folder; annotations, SARIF and the pull request's files
 * name them relative to the repository (the workspace), which differ when `path` is a subfolder.
 */
function relativeToWorkspace(result: ValidationResult, workspace: string): ValidationResult {
  const prefix = relative(workspace, result.root).split(sep).join('/');
  if (prefix === '') return result;
  return { ...result, root: workspace, findings: result.findings.map((finding) => ({ ...finding, file: `${prefix}/${finding.file}` })) };
}

function writeSarif(result: ValidationResult, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatSarif(result));
}

async function changedLines(client: Octokit, context: RunContext, pullNumber: number, warn: (message: string) => void): Promise<ChangedLines> {
  try {
    return await fetchChangedLines(client, context.owner, context.repo, pullNumber);
  } catch (error) {
    warn(`the pull request's changed lines could not be read, annotations are not ordered by them: ${describeApiError(error)}`);
    return new Map();
  }
}

async function comment(client: Octokit, context: RunContext, pullNumber: number, body: string, counts: Counts, warn: (message: string) => void): Promise<void> {
  try {
    const outcome = await upsertComment(client, context, pullNumber, body, counts.total === 0);
    core.info(`pull request comment: ${outcome}`);
  } catch (error) {
    warn(`the pull request comment is skipped: ${describeApiError(error)}`);
  }
}

function writeSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
}

function displayPath(file: string, workspace: string): string {
  const inside = relative(workspace, file);
  return inside.startsWith('..') || isAbsolute(inside) ? file : inside.split(sep).join('/');
}

function report(counts: Counts, notAnnotated: number, inputs: ActionInputs): void {
  const waived = counts.waived ? `, ${counts.waived} waived` : '';
  const hidden = notAnnotated ? ` (${notAnnotated} not annotated: see the job summary)` : '';
  core.info(`platform validate ${displayPath(inputs.root, inputs.workspace) || '.'}: ${describeCounts(counts)}${waived}${hidden}`);
  const failing = failingCount(counts, inputs.failOn);
  if (failing > 0) {
    core.setFailed(`${failing} ${failing === 1 ? 'finding' : 'findings'} at or above "${inputs.failOn}"`);
  }
}
