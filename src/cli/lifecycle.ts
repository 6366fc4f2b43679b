import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import semver from 'semver';
import { UserError } from '../core/errors.js';
import { applyChanges, readRepositoryFile } from '../core/transaction.js';
import { inRepository, reportPlan } from './repository.js';
import { CONDITIONS, checkRepository, type Condition } from '../upgrade/check.js';
import { checkVersionOption, planUpgrade, type UpgradePlan } from '../upgrade/upgrade.js';
import { commitUpgrade, refuseDirtyTree } from '../upgrade/git.js';
import { unifiedDiff } from '../upgrade/diff.js';
import { addSourceOption } from './source-option.js';
import { returnsExitCode } from './exit.js';

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('Is this repository on the newest template of its source, did managed files drift, was platform.yaml edited since the last render, are conflict markers left (exit 1 for any)')
    .argument('[dir]', 'the repository', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--ignore <conditions>', `conditions that do not fail the check, comma-separated or repeated: ${CONDITIONS.join(', ')}`, collect, []);
  addSourceOption(command)
    .action(returnsExitCode(async (dir: string, options: { format: 'text' | 'json'; ignore: string[]; source?: string }) => {
      const ignored = ignoredConditions(options.ignore);
      const report = await checkRepository(resolve(dir), { source: options.source });
      const failing = report.findings.filter((finding) => !ignored.has(finding.condition));
      if (options.format === 'json') {
        const findings = report.findings.map((finding) => ({ ...finding, ignored: ignored.has(finding.condition) }));
        process.stdout.write(`${JSON.stringify({ ...report, findings, ok: failing.length === 0 }, null, 2)}\n`);
      } else {
        const behind = semver.valid(report.current) !== null && semver.gt(report.latest, report.current);
        process.stdout.write(`template ${report.template}@${report.current}${behind ? `, latest is ${report.latest}` : ' (latest)'}, from ${report.source}\n`);
        for (const finding of report.findings) {
          process.stdout.write(`${finding.condition.padEnd(16)} ${finding.message}${ignored.has(finding.condition) ? ' (ignored)' : ''}\n`);
        }
        if (!report.findings.length) process.stdout.write('up to date: no drift, no edit since the last render, no conflict left\n');
      }
      return failing.length ? 1 : 0;
    }));
}

export function registerUpgrade(program: Command): void {
  const command = program
    .command('upgrade')
    .description('Move the repository to a newer template version (or re-render it after an edit of platform.yaml): managed files replaced, merged files three-way merged, seeded files left alone; a team\'s edit is never lost')
    .argument('[dir]', 'the repository', '.')
    .option('--to <version>', 'the template version to move to (default: the newest of the source)');
  addSourceOption(command)
    .option('--dry-run', 'write nothing; print what would change as a unified diff')
    .option('--commit', 'commit the upgrade (one commit naming both versions)')
    .option('--allow-dirty', 'upgrade a git working tree that has uncommitted changes')
    .action(returnsExitCode(async (dir: string, options: { to?: string; source?: string; dryRun?: boolean; commit?: boolean; allowDirty?: boolean }) => {
      const root = resolve(dir);
      // A mistyped version is the first thing to say, before anything about the working tree.
      if (options.to !== undefined) checkVersionOption('--to', options.to);
      if (options.dryRun) {
        const plan = await planUpgrade(root, options);
        const code = printPlan(plan);
        // Kept files stay as they are: only what would be written or removed has a diff.
        for (const file of plan.files) if (file.action !== 'kept') process.stdout.write(unifiedDiff(file.path, readRepositoryFile(root, file.path), file.action === 'removed' ? undefined : file.content));
        process.stdout.write('dry run: nothing was written\n');
        return code;
      }
      return inRepository(root, 'platform upgrade', async ({ recovered }) => {
        // What a killed run's change left uncommitted is the platform's, finished just now: not the team's.
        if (!options.allowDirty) await refuseDirtyTree(root, recovered);
        const plan = await planUpgrade(root, options);
        applyChanges(root, plan.changes);
        const code = printPlan(plan);
        if (options.commit) await commitUpgrade(root, plan);
        return code;
      });
    }));
}

/** The plan as `platform upgrade` prints it; 1 when it left conflicts. */
function printPlan(plan: UpgradePlan): number {
  const moved = plan.from !== plan.to;
  process.stdout.write(moved ? `template ${plan.template} ${plan.from} -> ${plan.to}, from ${plan.source}\n` : `template ${plan.template}@${plan.to}, from ${plan.source}\n`);
  const code = reportPlan(plan);
  if (!plan.files.length) process.stdout.write('already up to date\n');
  return code;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((part) => part.trim()).filter(Boolean)];
}

function ignoredConditions(values: string[]): Set<Condition> {
  for (const value of values) {
    if (!CONDITIONS.includes(value as Condition)) throw new UserError(`--ignore ${value}: not a condition (known: ${CONDITIONS.join(', ')})`);
  }
  return new Set(values as Condition[]);
}
