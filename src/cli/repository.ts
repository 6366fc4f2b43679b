import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyChanges, withRepositoryLock } from '../core/transaction.js';
import { TEMPLATES_OPTION_DESCRIPTION } from '../generate/options.js';
import { changeSetOf, requireRepository, type FileWrite, type UpdatePlan } from '../generate/update.js';
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

/**
 * Run a writing command on a repository: read, plan and write all under its lock, so a second command
 * at once sees the first one's change. A folder that is no repository is refused before a lock is made in it.
 */
export async function inRepository<T>(root: string, command: string, fn: () => T | Promise<T>): Promise<T> {
  requireRepository(root);
  return withRepositoryLock(root, command, fn);
}

/** Write a re-rendering as one transaction (the record last), say what changed, and list the conflicts left in files (exit 1). */
export function applyPlan(root: string, writes: FileWrite[], conflicts: UpdatePlan['conflicts']): void {
  applyChanges(root, changeSetOf(writes));
  for (const write of writes) process.stdout.write(`updated ${write.path}\n`);
  if (conflicts.length) {
    process.stderr.write(`platform: conflicts to resolve (marked in the files):\n${conflicts.map((path) => `  ${path}\n`).join('')}`);
    process.exitCode = 1;
  }
}
