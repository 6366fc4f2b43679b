import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { answersToManifest, type Answers } from '../manifest/answers.js';
import { readManifest } from '../manifest/io.js';
import { manifestProblems } from '../manifest/rules.js';
import type { Manifest } from '../manifest/types.js';
import { RECORD_FILE, render, type Rendering } from '../render/render.js';
import type { TemplateSource } from '../render/source.js';
import { answersFromOptions, missingAnswerError, missingQuestions, OPTION_OF, type GenerateOptions, type Question } from './options.js';
import { writeNewRepository } from '../core/transaction.js';

/** Asks a person for the questions the options left open; absent when there is no terminal. */
export type Ask = (missing: Question[], given: Partial<Answers>) => Promise<Answers>;

const ANSWER_OPTIONS = ['name', 'owner', 'description', 'runtime', 'environments', 'database', 'secret', 'defaults'] as const;

/** The manifest a new repository is generated from: from --manifest, or from the options and, if needed, prompts. */
export async function manifestForNew(directory: string, options: GenerateOptions, source: TemplateSource, ask?: Ask): Promise<Manifest> {
  const template = { name: source.template.name, version: source.template.version };
  if (options.manifest) {
    const clash = ANSWER_OPTIONS.find((option) => options[option] !== undefined && options[option] !== false);
    if (clash) throw new UserError(`--manifest cannot be combined with --${clash}: the manifest holds every answer`);
    const { manifest } = readManifest(resolve(options.manifest), source.settings, options.manifest);
    return { ...manifest, spec: { ...manifest.spec, template } };
  }
  const given = answersFromOptions(options, source.settings, directory);
  const missing = missingQuestions(given);
  let answers: Answers;
  if (missing.length === 0) answers = { databases: [], secrets: [], ...given } as Answers;
  else if (ask) answers = await ask(missing, given);
  else throw missingAnswerError(missing);
  return checkedManifest(answersToManifest(answers, source.settings, template), source);
}

/** The rules that span answers (organization environments, duplicate names...) apply to every path in. */
export function checkedManifest(manifest: Manifest, source: TemplateSource): Manifest {
  const [problem] = manifestProblems(manifest, source.settings);
  if (problem) throw new UserError(`${optionFor(problem.path)}${problem.message}`);
  return manifest;
}

/** Render and write a new repository; nothing is written unless everything rendered, and the record goes last. */
export function generateRepository(directory: string, manifest: Manifest, source: TemplateSource, options: { force?: boolean } = {}): Rendering {
  const rendering = render(manifest, source);
  const files = rendering.files.map(({ path, content }) => ({ path, content }));
  writeNewRepository(directory, files, { force: options.force, record: RECORD_FILE });
  return rendering;
}

function optionFor(path: Array<string | number>): string {
  const question = { metadata: path[1], spec: path[1] }[String(path[0])] as string | undefined;
  const option = question && question in OPTION_OF ? OPTION_OF[question as Question] : undefined;
  return option ? `${option}: ` : '';
}
