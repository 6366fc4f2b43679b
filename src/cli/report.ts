/**
 * `platform report (--org ORG | DIR...)`: where the fleet stands, as text, JSON, markdown or one HTML
 * page. A thin adapter: flags to a ReportCommand (pure, tested without a process), then src/fleet/report.
 * Each way of finding the repositories is one branch of `collect`; a new one (say --merge) is one option
 * in OPTIONS, one field and one branch.
 */
import { Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';
import { FLEET_FORMATS, type FleetFormat } from '../fleet/report/format/index.js';
import type { FleetReport } from '../fleet/report/types.js';
import { returningExitCode } from './exit-code.js';
import { writeAtomically } from './output-file.js';

export interface ReportCommand {
  dirs: string[];
  format: FleetFormat;
  output?: string;
}

interface RawOptions {
  format?: string;
  output?: string;
}

export function parseReportOptions(dirs: string[], raw: RawOptions): ReportCommand {
  const format = raw.format ?? 'text';
  if (!(FLEET_FORMATS as readonly string[]).includes(format)) throw new UserError(`--format ${JSON.stringify(format)}: expected one of ${FLEET_FORMATS.join(', ')}`);
  if (raw.output !== undefined && raw.output.trim() === '') throw new UserError('--output: expected a file name');
  if (!dirs.length) throw new UserError('nothing to report on: give the folders of local clones');
  return { dirs, format: format as FleetFormat, output: raw.output };
}

export function registerReport(program: Command): Command {
  return program
    .command('report')
    .description('Where the fleet stands: template versions and how far behind, validation findings by policy, drifted files, waivers and their expiry, per repository and over the fleet')
    .argument('[dirs...]', 'local clones of the repositories (for organizations that do not use GitHub)')
    .addOption(new Option('--format <format>', 'report format').choices(FLEET_FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file (whole or not at all) instead of stdout')
    .showHelpAfterError(false)
    .action(returningExitCode(async (dirs: string[], raw: RawOptions) => runReport(parseReportOptions(dirs, raw))));
}

export async function runReport(command: ReportCommand): Promise<number> {
  const { formatFleetReport } = await import('../fleet/report/format/index.js');
  const text = formatFleetReport(await collect(command), command.format);
  if (command.output) writeAtomically(command.output, text);
  else process.stdout.write(text);
  return 0;
}

async function collect(command: ReportCommand): Promise<FleetReport> {
  return (await import('../fleet/report/index.js')).reportDirectories(command.dirs);
}
