/**
 * `platform report (--org ORG | DIR... | --merge FILES)`: where the fleet stands, as text, JSON, markdown
 * or one HTML page, read from GitHub or from local clones; or, with --merge, the JSON reports of the
 * shards of a rollout as one. A thin adapter: flags to a ReportCommand (pure, tested without a process),
 * then src/fleet. Each way of naming the repositories is one field and one branch of `runReport`.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { describeErrno, UserError } from '../core/errors.js';
import { writeAtomically } from '../core/output-file.js';
import type { GitHubOptions } from '../fleet/github.js';
import { FLEET_FORMATS, type FleetFormat } from '../fleet/report/format/index.js';
import { REPORT_FORMATS, type ReportFormat } from '../fleet/rollout-report.js';
import { returnsExitCode } from './exit.js';
import { credentials } from './rollout.js';

export type ReportCommand =
  | { kind: 'folders'; dirs: string[]; format: FleetFormat; output?: string }
  | { kind: 'org'; org: string; format: FleetFormat; output?: string; github: GitHubOptions }
  | { kind: 'merge'; files: string[]; format: ReportFormat; output?: string };

interface RawOptions {
  org?: string;
  merge?: string[];
  format?: string;
  output?: string;
}

/** Flags and environment to a command, or a UserError naming what is wrong. */
export function parseReportOptions(dirs: string[], raw: RawOptions, env: NodeJS.ProcessEnv): ReportCommand {
  const given = [raw.org !== undefined && '--org', raw.merge !== undefined && '--merge', dirs.length > 0 && 'folders'].filter(Boolean);
  if (given.length > 1) throw new UserError(`give one of --org ORG, folders, or --merge FILES (not ${given.join(' and ')})`);
  if (given.length === 0) throw new UserError('nothing to report on: give --org ORG or the folders of local clones (or --merge FILES for rollout reports)');
  if (raw.output !== undefined && raw.output.trim() === '') throw new UserError('--output: expected a file name');
  const format = raw.format ?? 'text';
  if (raw.merge !== undefined) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UserError(`--format ${format}: a merged rollout report is one of ${REPORT_FORMATS.join(', ')}`);
    return { kind: 'merge', files: raw.merge, format: format as ReportFormat, output: raw.output };
  }
  if (!(FLEET_FORMATS as readonly string[]).includes(format)) throw new UserError(`--format ${format}: expected one of ${FLEET_FORMATS.join(', ')}`);
  if (raw.org !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(raw.org)) throw new UserError(`--org ${raw.org}: expected the login of a GitHub organization`);
    return { kind: 'org', org: raw.org, format: format as FleetFormat, output: raw.output, github: credentials(env) };
  }
  return { kind: 'folders', dirs, format: format as FleetFormat, output: raw.output };
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Where the fleet stands: template versions and how far behind, upgrade pull requests, findings by policy, drifted files, waivers and their expiry; --merge: the JSON reports of the shards of a rollout as one')
    .argument('[dirs...]', 'local clones of the repositories (for organizations that do not use GitHub)')
    .option('--org <org>', 'the GitHub organization (GITHUB_TOKEN or a GitHub App; GITHUB_API_URL for GitHub Enterprise Server)')
    .option('--merge <files...>', 'JSON reports of `platform rollout --format json`, one per shard')
    .addOption(new Option('--format <format>', 'report format (html: not with --merge)').choices(FLEET_FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file (atomically); stdout keeps the text report')
    .showHelpAfterError(false)
    .action(returnsExitCode(async (dirs: string[], raw: RawOptions) => runReport(parseReportOptions(dirs, raw, process.env))));
}

export async function runReport(command: ReportCommand): Promise<number> {
  if (command.kind === 'merge') return runMerge(command);
  const [{ formatFleetReport }, fleet] = await Promise.all([import('../fleet/report/format/index.js'), import('../fleet/report/index.js')]);
  const report = command.kind === 'org' ? await fleet.reportOrganization(command.org, { github: command.github }) : await fleet.reportDirectories(command.dirs);
  write(command.output, (format) => formatFleetReport(report, format ?? command.format));
  return 0;
}

async function runMerge(command: Extract<ReportCommand, { kind: 'merge' }>): Promise<number> {
  const { formatRolloutReport, mergeReports, reportExitCode } = await import('../fleet/rollout-report.js');
  const inputs = command.files.map((file) => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new UserError(`cannot read: ${describeErrno(error)}`, file);
    }
  });
  const report = mergeReports(inputs);
  write(command.output, (format) => formatRolloutReport(report, format ?? command.format));
  return reportExitCode(report);
}

/** The report on stdout, or into --output with the text report on stdout. */
function write(output: string | undefined, format: (format?: 'text') => string): void {
  if (output) {
    writeAtomically(output, format());
    process.stdout.write(format('text'));
  } else {
    process.stdout.write(format());
  }
}
