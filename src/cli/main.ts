import { Command, CommanderError } from 'commander';
import { isUserError } from '../core/errors.js';
import { packageVersion } from '../core/paths.js';
import { registerNew } from './new.js';
import { registerAdd } from './add.js';
import { registerPolicy } from './policy.js';
import { registerValidate } from './validate.js';

/** Exit codes: 0 success, 1 findings or conflicts, 2 a usage error or input that could not be read. */
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('platform')
    .description('Golden-path kit: generate service repositories, validate them, keep them on the platform\'s templates.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerNew(program);
  registerAdd(program);
  registerPolicy(program);
  registerValidate(program);
  return program;
}

/** Only `main` sets the exit code; commands return or throw. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed the message (or the help / version, which exit 0).
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (isUserError(error)) {
    process.stderr.write(`platform: ${error.toString()}\n`);
    return EXIT_USAGE;
  }
  process.stderr.write(`platform: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 70;
}

