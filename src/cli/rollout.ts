/**
 * `platform rollout --org ORG`: an upgrade pull request in every repository of the organization that is
 * behind the target version (docs/fleet.md). Exit 0 when every repository is where it should be (conflicts
 * are the teams' to resolve in their pull requests), 1 when one failed, 2 for a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';
import { writeAtomically } from '../core/output-file.js';
import type { Shard } from '../fleet/discover.js';
import type { GitHubOptions } from '../fleet/github.js';
import type { ReportFormat } from '../fleet/rollout-report.js';
import { checkVersionOption } from '../upgrade/upgrade.js';
import { returnsExitCode } from './exit.js';

const FORMATS = ['text', 'json', 'markdown'] as const satisfies readonly ReportFormat[];
const MAX_CONCURRENCY = 64;

export interface RolloutCommand {
  org: string;
  to?: string;
  dryRun: boolean;
  concurrency: number;
  repo?: string;
  shard?: Shard;
  format: ReportFormat;
  output?: string;
  github: GitHubOptions;
}

interface RawOptions {
  org?: string;
  to?: string;
  dryRun?: boolean;
  concurrency?: string;
  repo?: string;
  shard?: string;
  format?: string;
  output?: string;
}

/** Flags and environment to a command, or a UserError naming what is wrong: pure, tested without a process. */
export async function parseRolloutOptions(raw: RawOptions, env: NodeJS.ProcessEnv): Promise<RolloutCommand> {
  const { parseShard } = await import('../fleet/discover.js');
  if (!raw.org || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(raw.org)) throw new UserError(`--org ${raw.org ?? ''}: expected the login of a GitHub organization`.trim());
  if (raw.to !== undefined) checkVersionOption('--to', raw.to);
  const concurrency = raw.concurrency === undefined ? 4 : Number(raw.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) throw new UserError(`--concurrency ${raw.concurrency}: expected a whole number from 1 to ${MAX_CONCURRENCY}`);
  const format = (raw.format ?? 'text') as ReportFormat;
  if (!FORMATS.includes(format)) throw new UserError(`--format ${raw.format}: expected one of ${FORMATS.join(', ')}`);
  if (raw.output !== undefined && raw.output.trim() === '') throw new UserError('--output: expected a file name');
  return {
    org: raw.org,
    to: raw.to,
    dryRun: raw.dryRun === true,
    concurrency,
    repo: raw.repo,
    shard: raw.shard === undefined ? undefined : parseShard(raw.shard),
    format,
    output: raw.output,
    github: credentials(env),
  };
}

/**
 * GITHUB_TOKEN (or GH_TOKEN), or a GitHub App: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY (the PEM, or the path
 * of its file) and GITHUB_APP_INSTALLATION_ID. GITHUB_API_URL for GitHub Enterprise Server.
 */
export function credentials(env: NodeJS.ProcessEnv): GitHubOptions {
  const apiUrl = env.GITHUB_API_URL || undefined;
  if (env.GITHUB_APP_ID) {
    let privateKey = env.GITHUB_APP_PRIVATE_KEY ?? '';
    if (privateKey && !privateKey.includes('-----BEGIN')) {
      if (!existsSync(privateKey)) throw new UserError('GITHUB_APP_PRIVATE_KEY: neither a PEM private key nor the path of a file holding one');
      privateKey = readFileSync(privateKey, 'utf8');
    }
    if (!privateKey) throw new UserError('GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not: a GitHub App needs its private key');
    if (!env.GITHUB_APP_INSTALLATION_ID) throw new UserError('GITHUB_APP_ID is set but GITHUB_APP_INSTALLATION_ID is not: the id of the App\'s installation on the organization');
    return { apiUrl, appId: env.GITHUB_APP_ID, privateKey, installationId: env.GITHUB_APP_INSTALLATION_ID };
  }
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new UserError('no credentials: set GITHUB_TOKEN to a token that can push branches and open pull requests in the organization, or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID for a GitHub App');
  return { apiUrl, token };
}

export function registerRollout(program: Command): void {
  program
    .command('rollout')
    .description('Open (or update) an upgrade pull request in every repository of the organization that is behind the template version')
    .requiredOption('--org <org>', 'the GitHub organization')
    .option('--to <version>', 'the template version to roll out (default: each repository\'s source\'s newest)')
    .option('--dry-run', 'write nothing anywhere: no push, no pull request, no comment; say what would be done')
    .option('--concurrency <n>', 'repositories worked on at once', '4')
    .option('--repo <pattern>', 'only the repositories whose name matches this glob')
    .option('--shard <i/n>', 'only the I-th of N stable slices of the organization (by a hash of the name), for a matrix of jobs')
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file (atomically); stdout keeps the text report')
    .showHelpAfterError(false)
    .action(returnsExitCode(async (raw: RawOptions) => runRollout(await parseRolloutOptions(raw, process.env))));
}

export async function runRollout(command: RolloutCommand): Promise<number> {
  const [{ createGitHub }, { rollout }, { createProgress }, { formatRolloutReport, reportExitCode }] = await Promise.all([
    import('../fleet/github.js'),
    import('../fleet/rollout.js'),
    import('../fleet/rollout-progress.js'),
    import('../fleet/rollout-report.js'),
  ]);
  const octokit = createGitHub(command.github);
  const progress = createProgress();
  let report;
  try {
    report = await rollout(octokit, {
      org: command.org,
      to: command.to,
      dryRun: command.dryRun,
      concurrency: command.concurrency,
      repo: command.repo,
      shard: command.shard,
      onDiscovered: (total, behind) => progress.discovered(total, behind),
      onResult: (result, done, total) => progress.result(result, done, total),
    });
  } finally {
    progress.finish();
  }
  if (command.output) {
    writeAtomically(command.output, formatRolloutReport(report, command.format));
    process.stdout.write(formatRolloutReport(report, 'text'));
  } else {
    process.stdout.write(formatRolloutReport(report, command.format));
  }
  return reportExitCode(report);
}
