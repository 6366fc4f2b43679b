import type { Command } from 'commander';
import { GENERATE_OPTIONS } from '../generate/options.js';

/** The options that answer the generator's questions; `platform new` and `yo platform` share their table. */
export function addAnswerOptions(command: Command): Command {
  for (const option of GENERATE_OPTIONS) {
    const flag = option.value ? `--${option.name} <${option.value}>` : `--${option.name}`;
    if (option.repeatable) command.option(flag, option.description, collect);
    else command.option(flag, option.description);
  }
  return command;
}

/** Options that may be given more than once collect into a list. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
