import Generator from 'yeoman-generator';
import { planAddition, type Addition } from './add.js';
import { TEMPLATES_OPTION_DESCRIPTION } from './options.js';
import type { UpdatePlan } from './update.js';
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
    private plan!: UpdatePlan;

    constructor(args: string[], options: any) {
      super(args, options);
      this.argument('value', { type: String, required: false, description: `${spec.syntax}, e.g. ${spec.example}` });
      this.option('templates', { type: String, description: TEMPLATES_OPTION_DESCRIPTION });
    }

    async prompting(): Promise<void> {
      try {
        const value = await oneAnswer(this, (this.options as { value?: string }).value, spec.syntax, spec.syntax, spec.validate);
        this.plan = planAddition(this.destinationRoot(), spec.toAddition(value), templateSourceFor(this));
      } catch (error) {
        throw asGeneratorError(error);
      }
    }

    writing(): void {
      writeAddition(this, this.plan);
    }
  };
}
