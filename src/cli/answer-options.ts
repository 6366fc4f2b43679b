import type { Command } from 'commander';

/** The options that answer the generator's questions; `platform new` and `yo platform` spell them alike. */
export function addAnswerOptions(command: Command): Command {
  return command
    .option('--name <name>', 'service name: a DNS-1123 label (the app, image, namespace and Argo CD names)')
    .option('--owner <team>', 'owning team (GitHub team slug): CODEOWNERS and the catalog owner')
    .option('--description <text>', 'one-line description')
    .option('--runtime <runtime>', 'node | python')
    .option('--environments <list>', 'comma-separated, e.g. dev,staging,prod')
    .option('--database <spec>', 'NAME:ENGINE[:VERSION][:SIZE][:backups], e.g. main:postgres:16:backups (repeatable)', collect)
    .option('--secret <spec>', 'NAME:ENV_VAR:STORE_PATH, e.g. stripe-api-key:STRIPE_API_KEY:payments/stripe (repeatable)', collect)
    .option('--defaults', 'take the default for every answer not given');
}

/** Options that may be given more than once collect into a list. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
