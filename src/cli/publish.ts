import type { Command } from 'commander';
import { formatEntry } from '../publish/changelog.js';
import { publish } from '../publish/publish.js';
import { returnsExitCode } from './exit.js';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('Release a template version (platform team, in a template source repository): render every example, require each to validate clean, write the changelog, set the version, commit, tag vX.Y.Z and push')
    .argument('[dir]', 'the template source folder', '.')
    .option('--version <version>', 'the version to publish (default: the one template.yaml says, when it is above the newest tag)')
    .option('--dry-run', 'render, validate and print the changelog entry; write, commit and tag nothing')
    .option('--no-push', 'commit and tag, but do not push')
    .action(returnsExitCode(async (dir: string, options: { version?: string; dryRun?: boolean; push: boolean }) => {
      const result = await publish({ dir, version: options.version, dryRun: options.dryRun, push: options.push });
      if (result.failures.length) {
        for (const failure of result.failures) {
          if (failure.migration) process.stderr.write(`${failure.template}/examples/${failure.example}: ${failure.migration}\n`);
          for (const finding of failure.findings) {
            process.stderr.write(`${failure.template}/examples/${failure.example}: ${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.policy}]\n`);
          }
        }
        const examples = new Set(result.failures.map((failure) => `${failure.template}/${failure.example}`)).size;
        const count = result.failures.reduce((sum, failure) => sum + failure.findings.length + (failure.migration ? 1 : 0), 0);
        process.stderr.write(`platform: not published: ${count} finding${count === 1 ? '' : 's'} in ${examples} example${examples === 1 ? '' : 's'} rendered at ${result.version}\n`);
        return 1;
      }
      if (result.resumed) {
        process.stdout.write(`tagged v${result.version}: its release commit was already there${result.pushed ? ', pushed' : ''}\n`);
        return;
      }
      for (const entry of result.entries) process.stdout.write(formatEntry(entry));
      if (options.dryRun) {
        process.stdout.write(`dry run: v${result.version} would be published; nothing was written\n`);
        return;
      }
      process.stdout.write(`published v${result.version} (${result.commit})${result.pushed ? ', pushed' : ''}\n`);
    }));
}
