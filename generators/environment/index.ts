import { checkField } from '../../src/manifest/rules.js';
import { subGenerator } from '../../src/generate/sub-generator.js';

/** `yo platform:environment [NAME]`: the same as `platform add environment`. */
export default subGenerator({
  syntax: 'ENVIRONMENT',
  example: 'staging',
  validate: (value) => checkField('environments', [value], 'environment'),
  toAddition: (value) => ({ kind: 'environment', environment: value }),
});
