/**
 * `platform validate [dir]`: a thin adapter over validateRepository and the reporters. Exit 0 when no
 * unwaived finding is at or above --fail-on, 1 when one is, 2 for a usage error or a repository that
 * cannot be read (one line on stderr, no stack trace).
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';
import { writeAtomically } from '../core/output-file.js';
import { returnsExitCode } from './exit.js';
import type { Format } from '../report/index.js';
import { countFindings, failingCount } from '../report/counts.js';
import { SEVERITIES, type Severity, type ValidationResult } from '../validate/types.js';

const FORMAT_NAMES = ['text', 'json', 'sarif', 'github', 'junit', 'markdown'] as const satisfies readonly Format[];

export interface ValidateCommand {
  dir: string;
  format: Format;
  output?: string;
  failOn: Severity;
  policies: string[];
  settings?: string;
}

interface RawOptions {
  format?: string;
  output?: string;
  failOn?: string;
  policies?: string[];
  settings?: string;
}

/** Flags to a command, or a UserError naming the flag: pure, so it is tested without a process. */
export function parseValidateOptions(dir: string | undefined, raw: RawOptions): ValidateCommand {
  const format = raw.format ?? 'text';
  if (!(FORMAT_NAMES as readonly string[]).includes(format)) throw new UserError(`--format ${JSON.stringify(format)}: expected one of ${FORMAT_NAMES.join(', ')}`);
  const failOn = raw.failOn ?? 'error';
  if (!SEVERITIES.includes(failOn as Severity)) throw new UserError(`--fail-on ${JSON.stringify(failOn)}: expected error, warning or info`);
  if (raw.output !== undefined && raw.output.trim() === '') throw new UserError('--output: expected a file name');
  return { dir: dir ?? '.', format: format as Format, output: raw.output, failOn: failOn as Severity, policies: raw.policies ?? [], settings: raw.settings };
}

/** Whether the run fails: an unwaived finding at or above the threshold. */
export function failsAt(result: ValidationResult, failOn: Severity): boolean {
  return failingCount(countFindings(result.findings), failOn) > 0;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a repository against the central schemas and policies')
    .argument('[dir]', 'the repository to check', '.')
    .addOption(new Option('--format <format>', 'report format').choices(FORMAT_NAMES).default('text'))
    .option('--output <file>', 'write the report to this file (its folder is created if needed); stdout keeps the text report')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an unwaived finding is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
    .option('--policies <dir>', 'an extra folder of policies (repeatable)', collect)
    .option('--settings <file>', 'organization settings other than the embedded default')
    // A usage error is one line: the help is one --help away.
    .showHelpAfterError(false)
    .action(returnsExitCode(async (dir: string | undefined, raw: RawOptions) => runValidate(parseValidateOptions(dir, raw))));
}

export async function runValidate(command: ValidateCommand): Promise<number> {
  // Loaded here, not at start-up: `platform new` and `--help` should not pay for the validator.
  const [{ validateRepository }, { formatReport }] = await Promise.all([import('../validate/index.js'), import('../report/index.js')]);
  const result = await validateRepository(resolve(command.dir), { policies: command.policies, settingsFile: command.settings });
  const color = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined;
  if (command.output) {
    writeAtomically(command.output, formatReport(result, command.format));
    process.stdout.write(formatReport(result, 'text', { color }));
  } else {
    process.stdout.write(formatReport(result, command.format, { color: command.format === 'text' && color }));
  }
  return failsAt(result, command.failOn) ? 1 : 0;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
