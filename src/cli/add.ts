import { resolve } from 'node:path';
import type { Command } from 'commander';
import { orFail, parseDatabaseOption, parseSecretOption } from '../manifest/answers.js';
import { checkField } from '../manifest/rules.js';
import { planAddition, type Addition } from '../generate/add.js';
import { writeFiles } from '../generate/write.js';
import { loadTemplateSource } from '../render/source.js';
import { UserError } from '../core/errors.js';

export function registerAdd(program: Command): void {
  const add = program.command('add').description('Add a database, secret or environment to an existing repository and re-render what depends on it');
  const action = (toAddition: (spec: string) => Addition) => async (spec: string, options: { dir: string; templates?: string }) => {
    const root = resolve(options.dir);
    const source = loadTemplateSource(options.templates ? resolve(options.templates) : undefined);
    const plan = planAddition(root, toAddition(spec), source);
    writeFiles(root, plan.writes);
    for (const write of plan.writes) process.stdout.write(`updated ${write.path}\n`);
    if (plan.conflicts.length) {
      process.stderr.write(`platform: conflicts to resolve (marked in the files):\n${plan.conflicts.map((path) => `  ${path}\n`).join('')}`);
      process.exitCode = 1;
    }
  };
  const common = (command: Command): Command =>
    command.option('--dir <dir>', 'the repository', '.').option('--templates <dir>', 'a template source folder other than the one in this package');
  common(add.command('database').argument('<spec>', 'NAME:ENGINE[:VERSION][:SIZE][:backups], e.g. main:postgres:16:backups'))
    .description('Add a database: a CloudNativePG cluster per environment, wired to the Deployment')
    .action(action((spec) => ({ kind: 'database', database: orFail(parseDatabaseOption(spec)) })));
  common(add.command('secret').argument('<spec>', 'NAME:ENV_VAR:STORE_PATH, e.g. stripe-api-key:STRIPE_API_KEY:payments/stripe'))
    .description('Add a secret: an ExternalSecret from the organization\'s store, wired to the Deployment')
    .action(action((spec) => ({ kind: 'secret', secret: orFail(parseSecretOption(spec)) })));
  common(add.command('environment').argument('<name>', 'an environment of the organization, e.g. staging'))
    .description('Add an environment: its overlay and its Argo CD Application, in promotion order')
    .action(action((name) => {
      const valid = checkField('environments', [name], 'environment');
      if (valid !== true) throw new UserError(valid);
      return { kind: 'environment', environment: name };
    }));
}
