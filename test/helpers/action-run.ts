/**
 * Run the Action's bundle as the runner does: a child process with INPUT_* and GITHUB_* variables, an
 * event payload file, and the step summary and output files; then read back what it printed and wrote.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './repo.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The workflow commands of annotations on stdout, parsed and unescaped. */
  annotations: Annotation[];
  summary: string;
  outputs: Record<string, string>;
}

export interface RunOptions {
  /** Inputs by their action.yml names (`fail-on`, `github-token`...). */
  inputs?: Record<string, string>;
  event?: { name: string; payload?: unknown };
  workspace: string;
  apiUrl?: string;
  repository?: string;
  /** Extra variables, e.g. GITHUB_RUN_ID. */
  env?: Record<string, string>;
}

/** What the Action's checkout holds besides the bundle: the validator reads these at run time. */
const CHECKOUT_CONTENT = ['package.json', 'action.yml', 'schemas', 'policies', 'templates'];

/**
 * Build the bundle with `npm run bundle`'s own command line, into a copy of the Action's checkout without
 * node_modules (as `uses: <org>/generator-platform@v1` gets it). Returns the bundle's path.
 */
export async function buildBundle(checkout: string): Promise<string> {
  const script = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.bundle;
  if (script !== 'node scripts/bundle-action.js') throw new Error(`package.json's bundle script is not scripts/bundle-action.js: ${script}`);
  for (const entry of CHECKOUT_CONTENT) cpSync(join(repoRoot, entry), join(checkout, entry), { recursive: true });
  const file = join(checkout, 'dist', 'action', 'index.js');
  await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'bundle-action.js'), '--outfile', file], { cwd: repoRoot });
  return file;
}

export async function runAction(bundle: string, options: RunOptions): Promise<ActionRun> {
  const scratch = mkdtempSync(join(options.workspace, '..', 'action-run-'));
  try {
    const files = { summary: join(scratch, 'summary.md'), output: join(scratch, 'output'), event: join(scratch, 'event.json') };
    writeFileSync(files.summary, '');
    writeFileSync(files.output, '');
    writeFileSync(files.event, JSON.stringify(options.event?.payload ?? {}));
    // Nothing from the host: a test run inside GitHub Actions must not leak the real job's variables in.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? scratch,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event?.name ?? 'workflow_dispatch',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REPOSITORY: options.repository ?? 'acme/payments-api',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_OUTPUT: files.output,
      ...(options.apiUrl ? { GITHUB_API_URL: options.apiUrl } : {}),
      ...options.env,
    };
    for (const [name, value] of Object.entries(options.inputs ?? {})) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    const child = spawn(process.execPath, [bundle], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    return {
      code,
      stdout,
      stderr,
      annotations: parseAnnotations(stdout),
      summary: readFileSync(files.summary, 'utf8'),
      outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `::error title=x,file=y,line=3::message` lines, with GitHub's escapes undone. */
export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of match[2] ? match[2].split(',') : []) {
      const at = pair.indexOf('=');
      properties[pair.slice(0, at)] = unescape(pair.slice(at + 1));
    }
    annotations.push({ level: match[1] as Annotation['level'], properties, message: unescape(match[3]!) });
  }
  return annotations;
}

function unescape(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** The `name<<delimiter` blocks that @actions/core's setOutput appends to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[index]!);
    if (!head) continue;
    const end = lines.indexOf(head[2]!, index + 1);
    outputs[head[1]!] = lines.slice(index + 1, end).join('\n');
    index = end;
  }
  return outputs;
}
