import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import Generator from 'yeoman-generator';
import { UserError } from '../../src/core/errors.js';
import type { Manifest } from '../../src/manifest/types.js';
import { manifestForNew } from '../../src/generate/new.js';
import type { GenerateOptions } from '../../src/generate/options.js';
import { askAnswers, type Prompt } from '../../src/generate/questions.js';
import { asGeneratorError, failUnlessPromptable, registerAnswerOptions, templateSourceFor } from '../../src/generate/yeoman.js';
import { RECORD_FILE, render } from '../../src/render/render.js';
import type { TemplateSource } from '../../src/render/source.js';

/**
 * `yo platform`: a new service repository in the current folder. Every question has an option, so it
 * runs headless; the work is the renderer's, the same as `platform new`.
 */
export default class PlatformGenerator extends Generator {
  private source!: TemplateSource;
  private manifest!: Manifest;
  private record = '';

  constructor(args: string[], options: ConstructorParameters<typeof Generator>[1]) {
    super(args, options);
    registerAnswerOptions(this);
  }

  async initializing(): Promise<void> {
    try {
      this.source = await templateSourceFor(this);
      const entries = readdirSync(this.destinationRoot()).filter((entry) => entry !== '.yo-rc.json');
      if (entries.length && !(this.options as { force?: boolean }).force) {
        throw new UserError('is not empty; pass --force to generate into it anyway', this.destinationRoot());
      }
    } catch (error) {
      throw asGeneratorError(error);
    }
  }

  async prompting(): Promise<void> {
    const options = this.options as GenerateOptions;
    try {
      this.manifest = await manifestForNew(this.destinationRoot(), { ...options, force: undefined }, this.source, async (missing, given) => {
        failUnlessPromptable(this, missing);
        const prompt: Prompt = async (questions) => (await this.prompt(questions as never)) as Record<string, unknown>;
        return askAnswers(prompt, (text) => this.log(text), this.source, this.destinationRoot(), given);
      });
    } catch (error) {
      throw asGeneratorError(error);
    }
  }

  writing(): void {
    for (const file of render(this.manifest, this.source).files) {
      if (file.path === RECORD_FILE) this.record = file.content;
      else this.fs.write(this.destinationPath(file.path), file.content);
    }
  }

  /**
   * The record goes last, once Yeoman has written every other file (as platform new's transaction does):
   * a run stopped half-way leaves no record claiming a complete repository. Written here, it is also
   * reported as what it is: Yeoman forces its own .yo-rc.json and would call a new one "force".
   */
  end(): void {
    const path = this.destinationPath(RECORD_FILE);
    const existed = existsSync(path);
    writeFileSync(path, this.record);
    const log = this.log as unknown as Record<'create' | 'force', (file: string) => void>;
    if (existed) log.force(RECORD_FILE);
    else log.create(RECORD_FILE);
    this.log(`\nYour repository for ${this.manifest.metadata.name} is ready: read README.md for what you got and what to do next.`);
  }
}
