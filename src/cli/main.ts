import { Command, CommanderError } from 'commander';
import { isUserError } from '../core/errors.js';
import { packageVersion } from '../core/paths.js';
import { takeExitCode } from './exit.js';

type Register = (program: Command) => void;

/**
 * The commands, each loaded only when it is the one being run (or for help): `platform validate` does
 * not pay for the generator's modules at start-up, nor `platform new` for the validator's.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  new: async () => (await import('./new.js')).registerNew,
  add: async () => (await import('./add.js')).registerAdd,
  check: async () => (await import('./lifecycle.js')).registerCheck,
  upgrade: async () => (await import('./lifecycle.js')).registerUpgrade,
  publish: async () => (await import('./publish.js')).registerPublish,
  validate: async () => (await import('./validate.js')).registerValidate,
  policy: async () => (await import('./policy.js')).registerPolicy,
  rollout: async () => (await import('./rollout.js')).registerRollout,
  report: async () => (await import('./report.js')).registerReport,
};

/** Exit codes: 0 success, 1 findings or conflicts, 2 a usage error or input that could not be read. */
export const EXIT_USAGE = 2;

/** The program with the command `argv` names registered, or all of them when it names none (help, typos). */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('platform')
    .description('Golden-path kit: generate service repositories, validate them, keep them on the platform\'s templates.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    // `platform new DIR --version 1.1.0` is the template version: the program's own --version counts only before the command.
    .enablePositionalOptions()
    .exitOverride();
  const named = argv.find((arg) => !arg.startsWith('-'));
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]!())(program);
  return program;
}

/** Only `main` sets the exit code; commands return or throw. */
export async function main(argv: string[]): Promise<void> {
  // `platform ... | head`: the reader left, which is no error of ours and no reason for a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  let code: number;
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    code = takeExitCode();
  } catch (error) {
    takeExitCode();
    code = exitCodeFor(error);
  }
  process.exitCode = code;
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

