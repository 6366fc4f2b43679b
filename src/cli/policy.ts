/**
 * `platform policy test [dir]`: run every policy's examples (the failing ones must produce exactly the
 * findings they list) through the whole validator. `platform policy docs`: write docs/policies.md from
 * the policy files, or with --check fail when it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { packageRoot, policiesDir } from '../core/paths.js';
import { renderPolicyDocs } from '../policy/docs.js';
import { EXAMPLES_NOW, runExamples, type ExampleResult } from '../policy/examples.js';
import { policyDirectories } from '../policy/index.js';
import { loadPolicies, policyFiles } from '../policy/load.js';
import { loadSettings, type Settings } from '../settings/settings.js';
import { validateFiles } from '../validate/index.js';
import { returnsExitCode } from './exit.js';

export const POLICY_DOCS = join(packageRoot, 'docs', 'policies.md');

/** Examples that fail, or stale docs, exit 1 like findings do; bad input still throws (exit 2). */
const EXIT_FAILED = 1;

interface PolicyOptions {
  settings?: string;
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('Work on policies: run their examples, generate their documentation');
  policy
    .command('test')
    .description('Run the examples of every policy in a folder: passing ones must produce no finding, failing ones exactly the findings they list')
    .argument('[dir]', "a folder of organization policies, run beside the central ones, which it may not redefine (default: the central policies and the folders the settings name)")
    .option('--settings <file>', 'organization settings to load the policies with (default: the embedded example organization)')
    .action(returnsExitCode(async (dir: string | undefined, options: PolicyOptions) => {
      const results = await testPolicies(dir === undefined ? undefined : resolve(dir), options.settings);
      process.stdout.write(formatResults(results));
      return results.some((result) => !result.ok) ? EXIT_FAILED : 0;
    }));
  policy
    .command('docs')
    .description("Write the policy documentation from the policy files: the central ones, the settings' folders and any folders given (with --check, only compare)")
    .argument('[dirs...]', 'folders of organization policies to document beside the central ones')
    .option('--settings <file>', 'organization settings (their policies.directories are documented too)')
    .option('--output <file>', 'where to write it', POLICY_DOCS)
    .option('--check', 'exit 1 when the file differs from what would be written')
    .action(returnsExitCode((dirs: string[], options: { output: string; check?: boolean; settings?: string }) => {
      const settings = options.settings ? loadSettings(resolve(options.settings), options.settings) : loadSettings();
      const content = renderPolicyDocs(loadPolicies(policyDirectories(settings, { policies: dirs, settingsFile: options.settings }), settings));
      if (options.check) {
        let current: string;
        try {
          current = readFileSync(options.output, 'utf8');
        } catch {
          throw new UserError('cannot be read', options.output);
        }
        if (current !== content) {
          process.stderr.write(`platform: ${options.output} is out of date: run \`platform policy docs\`\n`);
          return EXIT_FAILED;
        }
        return 0;
      }
      writeFileSync(options.output, content);
      process.stdout.write(`Wrote ${options.output}\n`);
      return 0;
    }));
}

/**
 * Run the examples of a policy folder through validateFiles, the same pipeline `platform validate` runs.
 * Without a folder: the central policies and every folder the settings name (policies.directories).
 * The examples run beside everything the settings load, with the settings' severities, so a platform
 * team sees its policies and the central ones hold for its own organization values.
 */
export async function testPolicies(dir: string | undefined, settingsFile?: string): Promise<ExampleResult[]> {
  const settings: Settings = settingsFile ? loadSettings(resolve(settingsFile), settingsFile) : loadSettings();
  const extra = dir === undefined || resolve(dir) === resolve(policiesDir) ? [] : [resolve(dir)];
  const dirs = policyDirectories(settings, { policies: extra, settingsFile });
  // Load everything the examples will run beside first: a folder that redefines a central policy is an error, not 65 failures.
  const all = loadPolicies(dirs, settings);
  const tested = new Set((dir === undefined ? dirs : [resolve(dir)]).flatMap((folder) => policyFiles(folder)).map((file) => basename(file).replace(/\.ya?ml$/, '')));
  const policies = all.filter((policy) => tested.has(policy.id));
  return runExamples(policies, async (files) => (await validateFiles(files, { now: EXAMPLES_NOW, policies: extra, settingsFile })).findings);
}

export function formatResults(results: ExampleResult[]): string {
  const lines: string[] = [];
  const byPolicy = new Map<string, ExampleResult[]>();
  for (const result of results) byPolicy.set(result.policy, [...(byPolicy.get(result.policy) ?? []), result]);
  for (const [policy, cases] of byPolicy) {
    const failed = cases.filter((result) => !result.ok);
    lines.push(`${failed.length ? '✗' : '✓'} ${policy} (${plural(cases.length, 'example')})`);
    for (const result of failed) {
      lines.push(`    ${result.expect} example "${result.example}":${result.error ? ` ${result.error}` : ''}`);
      const missing = without(result.expected, result.actual);
      const unexpected = without(result.actual, result.expected);
      for (const line of missing) lines.push(`      missing:    ${line}`);
      for (const line of unexpected) {
        const message = result.messages.find((text) => text.startsWith(`${line}:`)) ?? line;
        lines.push(`      unexpected: ${message}`);
      }
    }
  }
  const failures = results.filter((result) => !result.ok).length;
  lines.push('', `${results.length - failures} of ${plural(results.length, 'example')} as expected in ${plural(byPolicy.size, 'policy', 'policies')}${failures ? `, ${failures} not` : ''}.`);
  return `${lines.join('\n')}\n`;
}

/** The lines of `from` not matched one for one in `other` (a multiset difference). */
function without(from: string[], other: string[]): string[] {
  const left = [...other];
  return from.filter((line) => {
    const index = left.indexOf(line);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
