import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { checkField } from '../manifest/rules.js';
import { DATABASE_SYNTAX, DEFAULT_LIFECYCLE, orFail, parseDatabaseOption, parseListOption, parseSecretOption, SECRET_SYNTAX, type Answers } from '../manifest/answers.js';
import type { Settings } from '../settings/settings.js';

/** The options of `yo platform` and `platform new`, as the command line spells them. */
export interface GenerateOptions {
  name?: string;
  owner?: string;
  description?: string;
  lifecycle?: string;
  system?: string;
  runtime?: string;
  environments?: string;
  database?: string | string[];
  secret?: string | string[];
  defaults?: boolean;
  manifest?: string;
  force?: boolean;
}

export interface OptionSpec {
  name: 'name' | 'owner' | 'description' | 'lifecycle' | 'system' | 'runtime' | 'environments' | 'database' | 'secret' | 'defaults' | 'manifest';
  /** What the value looks like; none for a flag. */
  value?: string;
  description: string;
  repeatable?: boolean;
}

/** The options of `platform new` and `yo platform`, spelled and described once for both. */
export const GENERATE_OPTIONS: readonly OptionSpec[] = [
  { name: 'name', value: 'name', description: 'service name: a DNS-1123 label (the app, image, namespace and Argo CD names)' },
  { name: 'owner', value: 'team', description: 'owning team (GitHub team slug): CODEOWNERS and the catalog owner' },
  { name: 'description', value: 'text', description: 'one-line description' },
  { name: 'lifecycle', value: 'stage', description: `experimental | production | deprecated: the catalog's lifecycle (default ${DEFAULT_LIFECYCLE})` },
  { name: 'system', value: 'system', description: 'the Backstage system the service belongs to (default: none)' },
  { name: 'runtime', value: 'runtime', description: 'node | python' },
  { name: 'environments', value: 'list', description: 'comma-separated, e.g. dev,staging,prod' },
  { name: 'database', value: 'spec', description: `${DATABASE_SYNTAX.syntax}, e.g. ${DATABASE_SYNTAX.example} (repeatable)`, repeatable: true },
  { name: 'secret', value: 'spec', description: `${SECRET_SYNTAX.syntax}, e.g. ${SECRET_SYNTAX.example} (repeatable)`, repeatable: true },
  { name: 'defaults', description: 'take the default for every answer not given' },
  { name: 'manifest', value: 'file', description: 'generate from an existing platform.yaml instead of answers' },
];

/** Every command that renders takes the same --source; later commands default to the recorded one. */
export const SOURCE_OPTION_DESCRIPTION = 'the template source: a folder, a git repository (path or URL, #subdir for a folder in it), or "embedded" (the templates in this package); later commands use the one recorded in .yo-rc.json';
export const VERSION_OPTION_DESCRIPTION = 'the template version to generate from (default: the newest of the source)';

/** The questions, in the order they are asked; each has the option that answers it. */
export const QUESTIONS = ['name', 'owner', 'description', 'lifecycle', 'system', 'runtime', 'environments', 'databases', 'secrets'] as const;
export type Question = (typeof QUESTIONS)[number];

export const OPTION_OF: Record<Question, string> = {
  name: '--name',
  owner: '--owner',
  description: '--description',
  lifecycle: '--lifecycle',
  system: '--system',
  runtime: '--runtime',
  environments: '--environments',
  databases: '--database',
  secrets: '--secret',
};

/**
 * The service name a folder suggests: its name, lower-cased, with every run of other characters made one
 * `-` (`Bad_Name` -> `bad-name`); undefined when nothing valid is left.
 */
export function nameFromFolder(directory: string): string | undefined {
  const name = basename(directory).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return checkField('name', name) === true ? name : undefined;
}

/** What each question offers when nothing is given: the organization's defaults. */
export function defaultAnswers(settings: Settings, directory: string): Answers {
  const name = nameFromFolder(directory) ?? 'my-service';
  return {
    name,
    owner: settings.defaults.owner,
    description: `The ${name} service`,
    lifecycle: DEFAULT_LIFECYCLE,
    system: '',
    runtime: settings.defaults.runtime,
    environments: [...settings.defaults.environments],
    databases: [],
    secrets: [],
  };
}

/**
 * The answers the options give, each checked by the same rules as platform.yaml; a bad option is a
 * UserError naming it. With `--defaults`, everything not given takes its default.
 */
export function answersFromOptions(options: GenerateOptions, settings: Settings, directory: string): Partial<Answers> {
  const given: Partial<Answers> = {};
  const check = (field: 'name' | 'owner' | 'description' | 'lifecycle' | 'system' | 'runtime', value: string | undefined): void => {
    if (value === undefined) return;
    const valid = checkField(field, value, `--${field}`);
    if (valid !== true) throw new UserError(valid);
    given[field] = value;
  };
  check('name', options.name);
  check('owner', options.owner);
  check('description', options.description);
  check('lifecycle', options.lifecycle);
  check('system', options.system);
  check('runtime', options.runtime);
  if (options.runtime !== undefined && !settings.runtimes.includes(options.runtime)) {
    throw new UserError(`--runtime "${options.runtime}": not allowed by the organization (allowed: ${settings.runtimes.join(', ')})`);
  }
  if (options.environments !== undefined) given.environments = environmentsOption(options.environments, settings);
  if (options.database !== undefined) given.databases = asList(options.database).map((text) => orFail(parseDatabaseOption(text)));
  if (options.secret !== undefined) given.secrets = asList(options.secret).map((text) => orFail(parseSecretOption(text)));
  if (options.defaults) {
    if (given.name === undefined && nameFromFolder(directory) === undefined) {
      throw new UserError(`--defaults: no service name can be made of the folder's name "${basename(directory)}": pass --name`);
    }
    return { ...defaultAnswers(settings, directory), ...given };
  }
  return given;
}

export function environmentsOption(text: string, settings: Settings): string[] {
  const list = parseListOption(text);
  const valid = checkField('environments', list, '--environments');
  if (valid !== true) throw new UserError(valid);
  const known = settings.environments.map((env) => env.name);
  const unknown = list.find((env) => !known.includes(env));
  if (unknown) throw new UserError(`--environments: "${unknown}" is not an environment of the organization (known: ${known.join(', ')})`);
  // Promotion order is the organization's, whatever order they were typed in.
  return known.filter((env) => list.includes(env));
}

/** Answers that have a default when no terminal can ask: never required. */
const OPTIONAL: readonly Question[] = ['lifecycle', 'system', 'databases', 'secrets'];

/** The questions nobody answered yet, but for those that are never required. */
export function missingQuestions(given: Partial<Answers>): Question[] {
  return QUESTIONS.filter((question) => given[question] === undefined && !OPTIONAL.includes(question));
}

export function missingAnswerError(missing: Question[]): UserError {
  const options = missing.map((question) => OPTION_OF[question]).join(', ');
  return new UserError(`missing ${options}: no terminal to ask on; pass ${missing.length > 1 ? 'them' : 'it'} as options, or --defaults`);
}

function asList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}
