import Generator from 'yeoman-generator';
import { planAddition, type AdditionSpec } from './add.js';
import { orFail } from '../manifest/answers.js';
import { SOURCE_OPTION_DESCRIPTION } from './options.js';
import { withRepositoryLock } from '../core/transaction.js';
import { requireRepository } from './repository.js';
import { asGeneratorError, oneAnswer, writeAddition } from './yeoman.js';

/**
 * `yo platform:database|secret|environment [VALUE]`: the same as `platform add ...`, as a Yeoman
 * sub-generator. Each one is this class with its own spec.
 */
export function subGenerator(spec: AdditionSpec): new (args: string[], options: ConstructorParameters<typeof Generator>[1]) => Generator {
  return class extends Generator {
    private value!: string;

    constructor(args: string[], options: ConstructorParameters<typeof Generator>[1]) {
      super(args, options);
      this.argument('value', { type: String, required: false, description: `${spec.syntax}, e.g. ${spec.example}` });
      this.option('source', { type: String, description: SOURCE_OPTION_DESCRIPTION });
    }

    async prompting(): Promise<void> {
      try {
        const validate = (value: string): true | string => {
          const parsed = spec.parse(value);
          return typeof parsed === 'string' ? parsed : true;
        };
        this.value = await oneAnswer(this, (this.options as { value?: string }).value, spec.syntax, spec.syntax, validate);
      } catch (error) {
        throw asGeneratorError(error);
      }
    }

    /** Plan and write under the repository's lock, so a concurrent `platform add` is seen, not overwritten. */
    async writing(): Promise<void> {
      const root = this.destinationRoot();
      try {
        const addition = orFail(spec.parse(this.value));
        requireRepository(root);
        const namespace = (this.options as { namespace?: string }).namespace ?? 'platform';
        const source = (this.options as { source?: string }).source;
        await withRepositoryLock(root, `yo ${namespace}`, async () => writeAddition(this, await planAddition(root, addition, { source })));
      } catch (error) {
        throw asGeneratorError(error);
      }
    }
  };
}
