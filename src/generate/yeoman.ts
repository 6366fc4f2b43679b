import type Generator from 'yeoman-generator';
import { UserError } from '../core/errors.js';
import type { TemplateSource } from '../render/source.js';
import { loadForNew } from '../source/index.js';
import { GENERATE_OPTIONS, missingAnswerError, SOURCE_OPTION_DESCRIPTION, VERSION_OPTION_DESCRIPTION, type Question } from './options.js';
import { applyChanges } from '../core/transaction.js';
import type { UpgradePlan } from '../upgrade/upgrade.js';

/** What the Yeoman generators share; kept out of generators/ so Yeoman does not register it as a generator. */

/** Register the answer options with descriptions, so `yo platform --help` lists them all. */
export function registerAnswerOptions(generator: Generator): void {
  // Repeatable options keep every occurrence (a String type would join them with commas).
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);
  for (const option of GENERATE_OPTIONS) {
    const type = option.repeatable ? list : option.value ? String : Boolean;
    generator.option(option.name, { type: type as typeof String, description: option.description });
  }
  generator.option('source', { type: String, description: SOURCE_OPTION_DESCRIPTION });
  // `version` would clash with Yeoman's own --version: the template version is --template-version.
  generator.option('template-version', { type: String, description: VERSION_OPTION_DESCRIPTION });
  generator.option('template', { type: String, description: 'the template of the source to generate from (default: service)' });
}

/** The source and version `yo platform` renders from (--source, --template-version), relative paths from the destination. */
export async function templateSourceFor(generator: Generator): Promise<TemplateSource> {
  const options = generator.options as { source?: string; templateVersion?: string; 'template-version'?: string; template?: string };
  return loadForNew(options.source, options.templateVersion ?? options['template-version'], { cwd: generator.destinationRoot(), template: options.template });
}

/**
 * Whether questions can be asked: on a terminal, or under yeoman-test's adapter (which answers them).
 * With neither, a missing answer is an error naming its option rather than a prompt nobody sees.
 */
export function canPrompt(generator: Generator): boolean {
  const adapter = generator.env.adapter as unknown as { addAnswers?: unknown };
  return Boolean(process.stdin.isTTY) || typeof adapter.addAnswers === 'function';
}

export function failUnlessPromptable(generator: Generator, missing: Question[]): void {
  if (missing.length && !canPrompt(generator)) throw missingAnswerError(missing);
}

/** Yeoman prints thrown errors with their stack; a user error should be one line naming the file. */
export function asGeneratorError(error: unknown): Error {
  if (error instanceof UserError) {
    const plain = new Error(error.toString());
    plain.stack = `Error: ${error.toString()}`;
    return plain;
  }
  return error as Error;
}

/**
 * The sub-generators' writing step: the plan (made under the lock, as `platform add` does) is written as
 * one transaction, not through Yeoman's in-memory file system, whose commit writes file by file and would
 * leave a record ahead of the files if killed. Then say which merged files need the team's hand.
 */
export function writeAddition(generator: Generator, plan: UpgradePlan): void {
  applyChanges(generator.destinationRoot(), plan.changes);
  for (const file of plan.files) generator.log(`${file.action.padEnd(9)} ${file.path}${file.note ? ` (${file.note})` : ''}`);
  for (const warning of plan.warnings) generator.log(`Warning: ${warning}`);
  if (plan.conflicts.length) {
    generator.log(`Conflicts to resolve (marked in the files): ${plan.conflicts.join(', ')}`);
  }
}

/** Ask for the one value a sub-generator needs, unless its argument or option gave it. */
export async function oneAnswer(generator: Generator, given: string | undefined, option: string, message: string, validate: (value: string) => true | string): Promise<string> {
  if (given !== undefined) {
    const valid = validate(given);
    if (valid !== true) throw new UserError(valid);
    return given;
  }
  if (!canPrompt(generator)) throw new UserError(`missing ${option}: no terminal to ask on; pass it as an argument`);
  const answers = await generator.prompt([{ type: 'input', name: 'value', message, validate }] as never);
  return String((answers as { value: string }).value);
}
