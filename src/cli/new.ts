import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { generateRepository, manifestForNew, type Ask } from '../generate/new.js';
import { nameFromFolder, VERSION_OPTION_DESCRIPTION, type GenerateOptions } from '../generate/options.js';
import { askAnswers, type Prompt } from '../generate/questions.js';
import type { TemplateSource } from '../render/source.js';
import { importModule } from '../core/code-cache.js';
import { UserError } from '../core/errors.js';
import { loadForNew } from '../source/index.js';
import { addAnswerOptions } from './answer-options.js';
import { addSourceOption } from './source-option.js';

export function registerNew(program: Command): void {
  const command = program
    .command('new')
    .description('Generate a new service repository (the same as `yo platform`, without Yeoman)')
    .argument('<dir>', 'the folder to create; its name is the default service name');
  addSourceOption(addAnswerOptions(command).option('--force', 'generate into a folder that is not empty, replacing what the templates write'))
    .option('--version <version>', VERSION_OPTION_DESCRIPTION)
    .option('--template <name>', 'the template of the source to generate from (default: service)')
    .action(async (dir: string, options: GenerateOptions & { source?: string; version?: string; template?: string }) => {
      const source = await loadForNew(options.source, options.version, { template: options.template });
      // The folder named on the command line answers --name when it is a valid name; with --defaults, the
      // name made of it does, said so.
      const folder = basename(resolve(dir));
      const derived = nameFromFolder(folder);
      if (options.name === undefined && !options.manifest && derived !== undefined && (derived === folder || options.defaults)) {
        if (derived !== folder) process.stderr.write(`platform: "${folder}" is not a service name (a DNS-1123 label): the service is named "${derived}"; pass --name to choose another\n`);
        options.name = derived;
      }
      const ask = process.stdin.isTTY && process.stdout.isTTY ? terminalAsk(source, dir) : undefined;
      const manifest = await manifestForNew(dir, options, source, ask);
      const rendering = generateRepository(dir, manifest, source, { force: options.force });
      process.stdout.write(`Generated ${rendering.files.length} files in ${dir} from template ${rendering.template.name}@${rendering.template.version}.\n`);
    });
}

/** Prompt on the terminal with Yeoman's adapter, loaded only when a person is there to answer. */
function terminalAsk(source: TemplateSource, dir: string): Ask {
  return async (_missing, given) => {
    const { TerminalAdapter } = (await importModule('@yeoman/adapter')) as typeof import('@yeoman/adapter');
    const adapter = new TerminalAdapter();
    try {
      const prompt: Prompt = async (questions) => (await adapter.prompt(questions as never)) as Record<string, unknown>;
      return await askAnswers(prompt, (text) => process.stdout.write(`${text}\n`), source, dir, given);
    } catch (error) {
      // Ctrl+C, or the terminal's input closed: Inquirer's way of saying the person left.
      if ((error as Error).name === 'ExitPromptError') throw new UserError('cancelled at the prompt: nothing was written');
      throw error;
    } finally {
      adapter.close();
    }
  };
}
