import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkRepository, planUpgrade } from '../generate/lifecycle.js';
import { writeFiles } from '../generate/write.js';
import { loadTemplateSource } from '../render/source.js';

interface DirOptions {
  dir: string;
  templates?: string;
}

const withDir = (command: Command): Command =>
  command.option('--dir <dir>', 'the repository', '.').option('--templates <dir>', 'a template source folder other than the one in this package');

export function registerCheck(program: Command): void {
  withDir(program.command('check'))
    .description('Is this repository on the latest template, and which managed files drifted (exit 1 if either)')
    .action((options: DirOptions) => {
      const source = loadTemplateSource(options.templates ? resolve(options.templates) : undefined);
      const report = checkRepository(resolve(options.dir), source);
      const behind = report.current !== report.latest;
      process.stdout.write(`template ${source.template.name}@${report.current}${behind ? `, latest is ${report.latest}` : ' (latest)'}\n`);
      for (const path of report.drifted) process.stdout.write(`drifted  ${path}\n`);
      for (const path of report.missing) process.stdout.write(`missing  ${path}\n`);
      if (!report.drifted.length && !report.missing.length) process.stdout.write('no managed file drifted\n');
      if (behind || report.drifted.length || report.missing.length) process.exitCode = 1;
    });
}

export function registerUpgrade(program: Command): void {
  withDir(program.command('upgrade'))
    .description('Re-render from platform.yaml: managed files replaced, merged files three-way merged (your edits kept), seeded files left alone')
    .action((options: DirOptions) => {
      const root = resolve(options.dir);
      const source = loadTemplateSource(options.templates ? resolve(options.templates) : undefined);
      const plan = planUpgrade(root, source);
      const writes = plan.writes.filter((write) => write.path !== 'platform.yaml');
      writeFiles(root, writes);
      for (const write of writes) process.stdout.write(`updated ${write.path}\n`);
      if (!writes.length) process.stdout.write('already up to date\n');
      if (plan.conflicts.length) {
        process.stderr.write(`platform: conflicts to resolve (marked in the files):\n${plan.conflicts.map((path) => `  ${path}\n`).join('')}`);
        process.exitCode = 1;
      }
    });
}
