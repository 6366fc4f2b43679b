import type { Command } from 'commander';
import { withRepositoryLock, type Recovered } from '../core/transaction.js';
import { requireRepository } from '../generate/repository.js';
import type { UpgradePlan } from '../upgrade/upgrade.js';
import { addSourceOption } from './source-option.js';

/** What the commands that work on an existing repository share: where it is, and which source. */
export interface RepositoryOptions {
  dir: string;
  source?: string;
}

export function addRepositoryOptions(command: Command): Command {
  return addSourceOption(command.option('--dir <dir>', 'the repository', '.'));
}

/**
 * Run a writing command on a repository: read, plan and write all under its lock, so a second command
 * at once sees the first one's change. A folder that is no repository is refused before a lock is made in it.
 */
export async function inRepository<T>(root: string, command: string, fn: (found: Recovered) => T | Promise<T>): Promise<T> {
  requireRepository(root);
  return withRepositoryLock(root, command, fn);
}

/** One line per file (added, updated, merged, conflict, kept, removed), the warnings, and the conflicts: 1 when there are some. */
export function reportPlan(plan: UpgradePlan, write: (text: string) => void = (text) => process.stdout.write(text)): number {
  for (const migration of plan.migrations) write(`migrated  ${migration}\n`);
  for (const file of plan.files) write(`${file.action.padEnd(9)} ${file.path}\n`);
  for (const file of plan.files) if (file.note) process.stderr.write(`platform: warning: ${file.path}: ${file.note}\n`);
  for (const warning of plan.warnings) process.stderr.write(`platform: warning: ${warning}\n`);
  if (plan.conflicts.length) {
    process.stderr.write(`platform: conflicts to resolve (marked in the files, then remove the markers):\n${plan.conflicts.map((path) => `  ${path}\n`).join('')}`);
    return 1;
  }
  return 0;
}
