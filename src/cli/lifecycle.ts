import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkRepository, planUpgrade } from '../generate/lifecycle.js';
import { MANIFEST_FILE } from '../manifest/types.js';
import { hasPendingTransaction, TXN_FOLDER } from '../core/transaction.js';
import { addRepositoryOptions, applyPlan, inRepository, templateSourceOf, type RepositoryOptions } from './repository.js';

export function registerCheck(program: Command): void {
  addRepositoryOptions(program.command('check'))
    .description('Is this repository on the latest template, and which managed files drifted (exit 1 if either)')
    .action((options: RepositoryOptions) => {
      const source = templateSourceOf(options);
      const root = resolve(options.dir);
      const report = checkRepository(root, source);
      const behind = report.current !== report.latest;
      process.stdout.write(`template ${source.template.name}@${report.current}${behind ? `, latest is ${report.latest}` : ' (latest)'}\n`);
      for (const path of report.drifted) process.stdout.write(`drifted  ${path}\n`);
      for (const path of report.missing) process.stdout.write(`missing  ${path}\n`);
      if (!report.drifted.length && !report.missing.length) process.stdout.write('no managed file drifted\n');
      // check writes nothing, so it does not finish a killed run's change; it says one waits.
      const pending = hasPendingTransaction(root);
      if (pending) process.stdout.write(`an interrupted change waits in ${TXN_FOLDER}: the next platform add or upgrade finishes it\n`);
      if (pending || behind || report.drifted.length || report.missing.length) process.exitCode = 1;
    });
}

export function registerUpgrade(program: Command): void {
  addRepositoryOptions(program.command('upgrade'))
    .description('Re-render from platform.yaml: managed files replaced, merged files three-way merged (your edits kept), seeded files left alone')
    .action(async (options: RepositoryOptions) => {
      const root = resolve(options.dir);
      const source = templateSourceOf(options);
      await inRepository(root, 'platform upgrade', () => {
        const plan = planUpgrade(root, source);
        // platform.yaml is the input here, never rewritten.
        const writes = plan.writes.filter((write) => write.path !== MANIFEST_FILE);
        applyPlan(root, writes, plan.conflicts);
        if (!writes.length) process.stdout.write('already up to date\n');
      });
    });
}
