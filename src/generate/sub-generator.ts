import Generator from 'yeoman-generator';
import { planAddition, type Addition } from './add.js';
import { TEMPLATES_OPTION_DESCRIPTION } from './options.js';
import { withRepositoryLock } from '../core/transaction.js';
import { requireRepository } from './update.js';
import { asGeneratorError, oneAnswer, templateSourceFor, writeAddition } from './yeoman.js';

export interface SubGeneratorSpec {
  /** What the argument looks like, for --help and the prompt. */
  syntax: string;
  example: string;
  /** The same rule as the option and platform.yaml: `true` or a message. */
  validate: (value: string) => true | string;
  toAddition: (value: string) => Addition;
}

/**
 * `yo platform:database|secret|environment [VALUE]`: the same as `platform add ...`, as a Yeoman
 * sub-generator. Each one is this class with its own spec.
 */
export function subGenerator(spec: SubGeneratorSpec): new (args: string[], options: any) => Generator {
  return class extends Generator {
    private value!: string;

    constructor(args: string[], options: any) {
      super(args, options);
      this.argument('value', { type: String, required: false, description: `${spec.syntax}, e.g. ${spec.example}` });
      this.option('templates', { type: String, description: TEMPLATES_OPTION_DESCRIPTION });
    }

    async prompting(): Promise<void> {
      try {
        this.value = await oneAnswer(this, (this.options as { value?: string }).value, spec.syntax, spec.syntax, spec.validate);
      } catch (error) {
        throw asGeneratorError(error);
      }
    }

    /** Plan and write under the repository's lock, so a concurrent `platform add` is seen, not overwritten. */
    async writing(): Promise<void> {
      const root = this.destinationRoot();
      try {
        const addition = spec.toAddition(this.value);
        requireRepository(root);
        const namespace = (this.options as { namespace?: string }).namespace ?? 'platform';
        await withRepositoryLock(root, `yo ${namespace}`, () => writeAddition(this, planAddition(root, addition, templateSourceFor(this))));
      } catch (error) {
        throw asGeneratorError(error);
      }
    }
  };
}
