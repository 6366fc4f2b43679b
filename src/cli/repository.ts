import { resolve } from 'node:path';
import type { Command } from 'commander';
import { TEMPLATES_OPTION_DESCRIPTION } from '../generate/options.js';
import type { FileWrite, UpdatePlan } from '../generate/update.js';
import { writeFiles } from '../generate/write.js';
import { loadTemplateSource, type TemplateSource } from '../render/source.js';

/** What the commands that work on an existing repository share: where it is, and which templates. */
export interface RepositoryOptions {
  dir: string;
  templates?: string;
}

export function addRepositoryOptions(command: Command): Command {
  return command.option('--dir <dir>', 'the repository', '.').option('--templates <dir>', TEMPLATES_OPTION_DESCRIPTION);
}

export function templateSourceOf(options: { templates?: string }): TemplateSource {
  return loadTemplateSource(options.templates ? resolve(options.templates) : undefined);
}

/** Write a re-rendering, say what changed, and list the conflicts left in files (exit 1). */
export function applyPlan(root: string, writes: FileWrite[], conflicts: UpdatePlan['conflicts']): void {
  writeFiles(root, writes);
  for (const write of writes) process.stdout.write(`updated ${write.path}\n`);
  if (conflicts.length) {
    process.stderr.write(`platform: conflicts to resolve (marked in the files):\n${conflicts.map((path) => `  ${path}\n`).join('')}`);
    process.exitCode = 1;
  }
}
