import { checkField } from '../manifest/rules.js';
import { orFail, parseDatabaseOption, parseListOption, parseSecretOption, type Answers } from '../manifest/answers.js';
import type { Settings } from '../settings/settings.js';
import { defaultAnswers, environmentsOption, type Question } from './options.js';

/** An Inquirer question, as Yeoman's `prompt` and @yeoman/adapter take it. */
export interface PromptQuestion {
  type: 'input' | 'list' | 'checkbox';
  name: Question;
  message: string;
  default?: unknown;
  choices?: Array<string | { name: string; value: string; checked?: boolean }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a string or the checked choices, by the question type
  validate?: (value: any) => true | string;
  when?: boolean;
}

/**
 * The prompts of `yo platform` and an interactive `platform new`. A question an option already answered
 * is not asked (`when: false`). Validators are the manifest's own rules.
 */
export function questionsFor(settings: Settings, directory: string, given: Partial<Answers>): PromptQuestion[] {
  const defaults = defaultAnswers(settings, directory);
  // Inquirer's checkbox validates the chosen choices ({ value, name... }); Yeoman's test prompts, the values.
  const environmentValid = (chosen: Array<string | { value: string }>): true | string => {
    try {
      environmentsOption(chosen.map((choice) => (typeof choice === 'string' ? choice : choice.value)).join(','), settings);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return [
    { type: 'input', name: 'name', message: 'Service name (lower-case letters, digits and -)', default: defaults.name, validate: (v: string) => checkField('name', v) },
    { type: 'input', name: 'owner', message: 'Owning team (GitHub team slug)', default: defaults.owner, validate: (v: string) => checkField('owner', v) },
    { type: 'input', name: 'description', message: 'One-line description', default: defaults.description, validate: (v: string) => checkField('description', v) },
    { type: 'list', name: 'runtime', message: 'Runtime', choices: settings.runtimes, default: defaults.runtime },
    {
      type: 'checkbox',
      name: 'environments',
      message: 'Environments (promotion order is the organization\'s)',
      choices: settings.environments.map((env) => ({ name: env.name, value: env.name, checked: defaults.environments.includes(env.name) })),
      validate: environmentValid,
    },
    {
      type: 'input',
      name: 'databases',
      message: 'Databases, comma-separated NAME:ENGINE[:VERSION][:SIZE][:backups] (empty for none)',
      default: '',
      validate: (v: string) => listValid(v, parseDatabaseOption),
    },
    {
      type: 'input',
      name: 'secrets',
      message: 'Secrets, comma-separated NAME:ENV_VAR:STORE_PATH (empty for none)',
      default: '',
      validate: (v: string) => listValid(v, parseSecretOption),
    },
  ].map((question) => ({ ...question, when: given[question.name as Question] === undefined }) as PromptQuestion);
}

/** Merge what the prompts returned with what the options gave, into complete answers. */
export function answersFromPrompts(raw: Record<string, unknown>, given: Partial<Answers>, settings: Settings): Answers {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : parseListOption(String(value ?? '')));
  return {
    name: given.name ?? String(raw.name),
    owner: given.owner ?? String(raw.owner),
    description: given.description ?? String(raw.description ?? ''),
    runtime: given.runtime ?? String(raw.runtime),
    environments: given.environments ?? environmentsOption(list(raw.environments).join(','), settings),
    databases: given.databases ?? list(raw.databases).map((text) => orFail(parseDatabaseOption(text))),
    secrets: given.secrets ?? list(raw.secrets).map((text) => orFail(parseSecretOption(text))),
  };
}

function listValid(value: string, parse: (text: string) => unknown): true | string {
  for (const item of parseListOption(value ?? '')) {
    const result = parse(item);
    if (typeof result === 'string') return result;
  }
  return true;
}
