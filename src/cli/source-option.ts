import type { Command } from 'commander';
import { SOURCE_OPTION_DESCRIPTION } from '../generate/options.js';
import { absoluteSpec } from '../source/spec.js';

/**
 * `--source` of every command: a local path is taken from the folder the command runs in, as a shell
 * user means it, not from the repository `--dir` names (commands open sources from the repository).
 */
export function addSourceOption(command: Command): Command {
  return command.option('--source <source>', SOURCE_OPTION_DESCRIPTION, (value: string) => absoluteSpec(value, process.cwd()));
}
