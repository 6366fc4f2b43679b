import type { Command } from 'commander';
import { formatEntry } from '../publish/changelog.js';
import { publish } from '../publish/publish.js';
import { returnsExitCode } from './exit.js';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('Release a template version (platform team): render every example, require each to validate clean, write the changelog, set the version and commit; a template source repository is also tagged vX.Y.Z and pushed, the templates/ folder of a generator-platform checkout gets its releases/vX.Y.Z.json snapshot instead')
    .argument('[dir]', 'the template source folder (or templates/ of a generator-platform checkout)', '.')
    .option('--version <version>', 'the version to publish (default: the one template.yaml says, when it is above the newest tag)')
    .option('--dry-run', 'render, validate and print the changelog entry; write, commit and tag nothing')
    .option('--notes <file>', 'a markdown list of what changes, in your words: the changelog entry starts with it')
    .option('--no-push', 'commit and tag, but do not push')
    .action(returnsExitCode(async (dir: string, options: { version?: string; dryRun?: boolean; push: boolean; notes?: string }) => {
      const result = await publish({ dir, version: options.version, dryRun: options.dryRun, push: options.push, notes: options.notes });
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
      process.stdout.write(`published v${result.version}${result.commit ? ` (${result.commit})` : ''}${result.pushed ? ', pushed' : ''}\n`);
    }));
}
