import { resolve } from 'node:path';
import type { Command } from 'commander';
import { orFail, parseDatabaseOption, parseSecretOption } from '../manifest/answers.js';
import { checkField } from '../manifest/rules.js';
import { planAddition, type Addition } from '../generate/add.js';
import { applyChanges } from '../core/transaction.js';
import { addRepositoryOptions, inRepository, reportPlan, type RepositoryOptions } from './repository.js';
import { UserError } from '../core/errors.js';

export function registerAdd(program: Command): void {
  const add = program.command('add').description('Add a database, secret or environment to an existing repository and re-render what depends on it');
  const action = (toAddition: (spec: string) => Addition) => async (spec: string, options: RepositoryOptions) => {
    const root = resolve(options.dir);
    const addition = toAddition(spec);
    // Read, plan and write under the lock: a concurrent add's change is either all seen or not yet begun.
    await inRepository(root, 'platform add', async () => {
      const plan = await planAddition(root, addition, { source: options.source });
      applyChanges(root, plan.changes);
      reportPlan(plan);
    });
  };
  addRepositoryOptions(add.command('database').argument('<spec>', 'NAME:ENGINE[:VERSION][:SIZE][:backups], e.g. main:postgres:16:backups'))
    .description('Add a database: a CloudNativePG cluster per environment, wired to the Deployment')
    .action(action((spec) => ({ kind: 'database', database: orFail(parseDatabaseOption(spec)) })));
  addRepositoryOptions(add.command('secret').argument('<spec>', 'NAME:ENV_VAR:STORE_PATH[:PROPERTY], e.g. stripe-api-key:STRIPE_API_KEY:payments/stripe'))
    .description('Add a secret: an ExternalSecret from the organization\'s store, wired to the Deployment')
    .action(action((spec) => ({ kind: 'secret', secret: orFail(parseSecretOption(spec)) })));
  addRepositoryOptions(add.command('environment').argument('<name>', 'an environment of the organization, e.g. staging'))
    .description('Add an environment: its overlay and its Argo CD Application, in promotion order')
    .action(action((name) => {
      const valid = checkField('environments', [name], 'environment');
      if (valid !== true) throw new UserError(valid);
      return { kind: 'environment', environment: name };
    }));
}
