/**
 * `platform report --merge FILES`: the JSON reports of a matrix of `platform rollout --shard I/N` jobs as
 * one report (text, json or markdown for the job summary). Exit 1 when a repository failed in any shard.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { describeErrno, UserError } from '../core/errors.js';
import { writeAtomically } from '../core/output-file.js';
import { REPORT_FORMATS, type ReportFormat } from '../fleet/rollout-report.js';
import { returningExitCode } from './exit.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('The fleet\'s picture; --merge: the JSON reports of the shards of a rollout as one')
    .requiredOption('--merge <files...>', 'JSON reports of `platform rollout --format json`, one per shard')
    .addOption(new Option('--format <format>', 'report format').choices(REPORT_FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file (atomically); stdout keeps the text report')
    .showHelpAfterError(false)
    .action(returningExitCode(async (options: { merge: string[]; format: ReportFormat; output?: string }) => runMerge(options)));
}

export async function runMerge(options: { merge: string[]; format: ReportFormat; output?: string }): Promise<number> {
  const { formatRolloutReport, mergeReports, reportExitCode } = await import('../fleet/rollout-report.js');
  const inputs = options.merge.map((file) => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new UserError(`cannot read: ${describeErrno(error)}`, file);
    }
  });
  const report = mergeReports(inputs);
  if (options.output) {
    writeAtomically(options.output, formatRolloutReport(report, options.format));
    process.stdout.write(formatRolloutReport(report, 'text'));
  } else {
    process.stdout.write(formatRolloutReport(report, options.format));
  }
  return reportExitCode(report);
}
