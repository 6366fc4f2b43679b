import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { SEVERITIES, type Severity } from '../validate/types.js';

export interface ActionInputs {
  /** Absolute path of the repository folder to validate. */
  root: string;
  /** The workspace (the checkout): annotation and SARIF paths are relative to it. */
  workspace: string;
  failOn: Severity;
  /** Absolute paths of extra policy folders. */
  policies: string[];
  /** Absolute path of the SARIF file to write. */
  sarifFile: string;
  comment: boolean;
  /** Empty when the workflow gave none: the comment and the changed lines are then skipped. */
  token: string;
  /** Milliseconds for every API call together. */
  apiTimeoutMs: number;
}

/**
 * The defaults of action.yml, applied here too: the runner fills them in, but nothing else that runs the
 * bundle (tests, a local run) does.
 */
export const INPUT_DEFAULTS = {
  path: '.',
  'fail-on': 'error',
  policies: '',
  'sarif-file': 'platform-results.sarif',
  comment: 'true',
  'github-token': '',
  'api-timeout': '60',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

/**
 * The raw value of an input as the runner passes it: `INPUT_` + the name upper-cased with spaces turned
 * into underscores (hyphens stay: `INPUT_FAIL-ON`), as @actions/core's getInput reads it.
 */
export function rawInput(env: NodeJS.ProcessEnv, name: InputName): string {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim() ?? '';
  return value === '' ? INPUT_DEFAULTS[name] : value;
}

/** Read and check every input; a bad one is a UserError that names it. A pure function of the environment. */
export function readInputs(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ActionInputs {
  const workspace = resolve(cwd, env.GITHUB_WORKSPACE || '.');
  const resolveIn = (value: string): string => (isAbsolute(value) ? value : resolve(workspace, value));
  return {
    root: insideWorkspace('path', resolveIn(rawInput(env, 'path')), workspace),
    workspace,
    failOn: severityInput(rawInput(env, 'fail-on')),
    policies: listInput(rawInput(env, 'policies')).map(resolveIn),
    sarifFile: insideWorkspace('sarif-file', resolveIn(rawInput(env, 'sarif-file')), workspace),
    comment: booleanInput('comment', rawInput(env, 'comment')),
    token: rawInput(env, 'github-token'),
    apiTimeoutMs: secondsInput('api-timeout', rawInput(env, 'api-timeout')) * 1000,
  };
}

/**
 * `path` and `sarif-file` stay in the workspace, symbolic links followed: the Action reads and writes the
 * checkout only, never the runner's own files (a SARIF written over ~/.bashrc, a path of /etc).
 */
function insideWorkspace(name: InputName, path: string, workspace: string): string {
  const real = (target: string): string => {
    // The deepest part that exists, resolved; the rest (a SARIF file not written yet) appended as given.
    let existing = target;
    const rest: string[] = [];
    while (!existsSync(existing) && dirname(existing) !== existing) {
      rest.unshift(basename(existing));
      existing = dirname(existing);
    }
    return join(realpathSync(existing), ...rest);
  };
  const root = existsSync(workspace) ? realpathSync(workspace) : workspace;
  const inside = relative(root, real(path));
  if (inside.startsWith('..') || isAbsolute(inside)) throw new UserError(`input ${name}: ${path} is outside the workspace ${workspace}`);
  return path;
}

function secondsInput(name: InputName, value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 3600) throw new UserError(`input ${name}: "${value}" is not a number of seconds from 1 to 3600`);
  return seconds;
}

function severityInput(value: string): Severity {
  const severity = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) {
    throw new UserError(`input fail-on: "${value}" is not one of ${SEVERITIES.join(', ')}`);
  }
  return severity as Severity;
}

/** The YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them. */
function booleanInput(name: InputName, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UserError(`input ${name}: "${value}" is not true or false`);
}

function listInput(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
