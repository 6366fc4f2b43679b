import { resolve } from 'node:path';
import type { Command } from 'commander';
import { orFail } from '../manifest/answers.js';
import { ADDITIONS, planAddition, type AdditionSpec } from '../generate/add.js';
import { applyChanges } from '../core/transaction.js';
import { returnsExitCode } from './exit.js';
import { addRepositoryOptions, inRepository, reportPlan, type RepositoryOptions } from './repository.js';

export function registerAdd(program: Command): void {
  const add = program.command('add').description('Add a database, secret or environment to an existing repository and re-render what depends on it');
  const action = (spec: AdditionSpec) => returnsExitCode(async (value: string, options: RepositoryOptions) => {
    const root = resolve(options.dir);
    const addition = orFail(spec.parse(value));
    // Read, plan and write under the lock: a concurrent add's change is either all seen or not yet begun.
    return inRepository(root, 'platform add', async () => {
      const plan = await planAddition(root, addition, { source: options.source });
      applyChanges(root, plan.changes);
      return reportPlan(plan);
    });
  });
  for (const spec of ADDITIONS) {
    addRepositoryOptions(add.command(spec.kind).argument('<value>', `${spec.syntax}, e.g. ${spec.example}`))
      .description(spec.description)
      .action(action(spec));
  }
}
