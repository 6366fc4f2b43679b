import { UserError } from '../core/errors.js';
import { checkField, manifestProblems } from '../manifest/rules.js';
import { answersToManifest, DATABASE_SYNTAX, DEFAULT_LIFECYCLE, orFail, parseListOption, SECRET_SYNTAX, type Answers, type AnswerSyntax } from '../manifest/answers.js';
import { LIFECYCLES } from '../manifest/types.js';
import type { Settings } from '../settings/settings.js';
import { defaultAnswers, environmentsOption, QUESTIONS, type Question } from './options.js';

/** An Inquirer question, as Yeoman's `prompt` and @yeoman/adapter take it. */
export interface PromptQuestion {
  type: 'input' | 'select' | 'checkbox';
  name: string;
  message: string;
  default?: unknown;
  choices?: Array<string | { name: string; value: string; checked?: boolean }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a string or the checked choices, by the question type
  validate?: (value: any, answers?: Record<string, unknown>) => true | string;
  when?: boolean;
}

/** Yeoman's `prompt` or @yeoman/adapter's: asks the questions, returns the answers by name. */
export type Prompt = (questions: PromptQuestion[]) => Promise<Record<string, unknown>>;

/** What the questions need of the template source. */
export interface QuestionSource {
  settings: Settings;
  template: { name: string; version: string };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each list question has the syntax of its own item type
const LISTS: Partial<Record<Question, AnswerSyntax<any>>> = { databases: DATABASE_SYNTAX, secrets: SECRET_SYNTAX };

/**
 * One answer as a prompt returned it, parsed; throws the message of the first bad part. Messages name
 * the answer as typed, not an option nobody typed: `"main:postgres:x": unexpected "x" ...`.
 */
function parseAnswer(question: Question, raw: unknown, settings: Settings): Answers[Question] {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map((item) => (typeof item === 'object' && item !== null ? String((item as { value: unknown }).value) : String(item))) : parseListOption(String(value ?? '')));
  const syntax = LISTS[question];
  if (syntax) return list(raw).map((text): unknown => orFail(syntax.parse(text, JSON.stringify(text)))) as Answers[Question];
  if (question === 'environments') return environmentsOption(list(raw).join(','), settings);
  const text = String(raw ?? '');
  // No system is an answer too: the catalog then names none.
  if (question === 'system' && text === '') return text;
  const valid = checkField(question as 'name' | 'owner' | 'description' | 'lifecycle' | 'system' | 'runtime', text);
  if (valid !== true) throw new UserError(valid);
  return text;
}

/** The question a manifest problem is about: `spec.databases.1.version` -> databases, and which item. */
function questionOf(path: Array<string | number>): { question?: Question; item?: number } {
  const field = String(path[1]);
  const question = QUESTIONS.find((candidate) => candidate === field);
  return { question, item: typeof path[2] === 'number' ? path[2] : undefined };
}

/**
 * An answer checked against everything it can be checked against at its own prompt: its syntax, and
 * every rule of the manifest that concerns it given the answers before it (and the defaults of those
 * after), so nothing typed here is refused only after the last question.
 */
export function checkAnswer(question: Question, raw: unknown, known: Partial<Answers>, source: QuestionSource, directory: string): true | string {
  let value: Answers[Question];
  try {
    value = parseAnswer(question, raw, source.settings);
  } catch (error) {
    // The environments' rules speak of --environments: at the prompt, of the question.
    return (error as Error).message.replace(/^--([a-z-]+)/, '$1');
  }
  const answers = { ...defaultAnswers(source.settings, directory), ...known, [question]: value } as Answers;
  for (const problem of manifestProblems(answersToManifest(answers, source.settings, source.template), source.settings)) {
    const about = questionOf(problem.path);
    if (about.question !== question) continue;
    const detail = problem.message.replace(/^[\w.]+: /, '');
    const items = LISTS[question] ? parseListOption(String(raw ?? '')) : [];
    return about.item !== undefined && items[about.item] !== undefined ? `${JSON.stringify(items[about.item])}: ${detail}` : detail;
  }
  return true;
}

/**
 * The prompts of `yo platform` and an interactive `platform new`. A question an option already answered
 * is not asked (`when: false`). `current` holds answers already given at the prompts (when one is asked
 * again), which become its default.
 */
export function questionsFor(source: QuestionSource, directory: string, given: Partial<Answers>, current: Partial<Answers> = {}): PromptQuestion[] {
  const settings = source.settings;
  const defaults = { ...defaultAnswers(settings, directory), ...current };
  // Inquirer passes the answers so far: each question is checked with them.
  const check = (question: Question) => (value: unknown, soFar: Record<string, unknown> = {}): true | string => {
    const known: Partial<Answers> = { ...current, ...given };
    for (const earlier of QUESTIONS) {
      if (earlier in soFar && earlier !== question) {
        try {
          Object.assign(known, { [earlier]: parseAnswer(earlier, soFar[earlier], settings) });
        } catch {
          // Refused at its own prompt already.
        }
      }
    }
    return checkAnswer(question, value, known, source, directory);
  };
  const listText = (question: 'databases' | 'secrets'): string => (defaults[question] as unknown[]).map((item) => LISTS[question]!.format(item)).join(', ');
  const questions: PromptQuestion[] = [
    { type: 'input', name: 'name', message: 'Service name (lower-case letters, digits and -)', default: defaults.name },
    { type: 'input', name: 'owner', message: 'Owning team (GitHub team slug)', default: defaults.owner },
    { type: 'input', name: 'description', message: 'One-line description', default: defaults.description },
    { type: 'select', name: 'lifecycle', message: 'Lifecycle in the developer portal', choices: [...LIFECYCLES], default: defaults.lifecycle },
    { type: 'input', name: 'system', message: 'Backstage system it belongs to (empty for none)', default: defaults.system ?? '' },
    { type: 'select', name: 'runtime', message: 'Runtime', choices: settings.runtimes, default: defaults.runtime },
    {
      type: 'checkbox',
      name: 'environments',
      message: 'Environments (promotion order is the organization\'s)',
      choices: settings.environments.map((env) => ({ name: env.name, value: env.name, checked: defaults.environments.includes(env.name) })),
    },
    { type: 'input', name: 'databases', message: `Databases, comma-separated ${DATABASE_SYNTAX.syntax} (empty for none)`, default: listText('databases') },
    { type: 'input', name: 'secrets', message: `Secrets, comma-separated ${SECRET_SYNTAX.syntax} (empty for none)`, default: listText('secrets') },
  ];
  return questions.map((question) => ({
    ...question,
    ...(question.type === 'select' ? {} : { validate: check(question.name as Question) }),
    when: given[question.name as Question] === undefined,
  }));
}

/** Merge what the prompts returned with what the options gave, into complete answers. */
export function answersFromPrompts(raw: Record<string, unknown>, given: Partial<Answers>, settings: Settings, current: Partial<Answers> = {}): Answers {
  const answers = { ...current, ...given } as Record<string, unknown>;
  for (const question of QUESTIONS) {
    if (given[question] === undefined && question in raw) answers[question] = parseAnswer(question, raw[question], settings);
  }
  return { databases: [], secrets: [], ...answers } as unknown as Answers;
}

/** The answers as a short list for a person to read before anything is written. */
export function summaryOf(answers: Answers): string {
  const list = (items: string[]) => (items.length ? items.join(', ') : 'none');
  return [
    `  name          ${answers.name}`,
    `  owner         ${answers.owner}`,
    `  description   ${answers.description}`,
    `  lifecycle     ${answers.lifecycle ?? DEFAULT_LIFECYCLE}`,
    `  system        ${answers.system || 'none'}`,
    `  runtime       ${answers.runtime}`,
    `  environments  ${list(answers.environments)}`,
    `  databases     ${list(answers.databases.map(DATABASE_SYNTAX.format))}`,
    `  secrets       ${list(answers.secrets.map(SECRET_SYNTAX.format))}`,
  ].join('\n');
}

const GENERATE = 'generate';

/**
 * Ask what the options left open, show the answers, and ask again whichever the person wants to change
 * until they choose to generate. Only questions asked at the prompts can be changed: options stay.
 */
export async function askAnswers(prompt: Prompt, log: (text: string) => void, source: QuestionSource, directory: string, given: Partial<Answers>): Promise<Answers> {
  let answers = answersFromPrompts(await prompt(questionsFor(source, directory, given)), given, source.settings);
  const asked = QUESTIONS.filter((question) => given[question] === undefined);
  for (;;) {
    log(`\nThe repository will be generated with:\n${summaryOf(answers)}\n`);
    const { review } = await prompt([
      {
        type: 'select',
        name: 'review',
        message: 'Generate it, or change an answer?',
        choices: [{ name: 'Generate', value: GENERATE }, ...asked.map((question) => ({ name: `Change ${question}`, value: question }))],
        default: GENERATE,
      },
    ]);
    if (review === undefined || review === GENERATE) return answers;
    const question = review as Question;
    const { [question]: _dropped, ...rest } = answers;
    const again = questionsFor(source, directory, { ...rest, [question]: undefined } as Partial<Answers>, answers).filter((candidate) => candidate.name === question);
    answers = answersFromPrompts(await prompt(again), rest, source.settings, answers);
  }
}
