import { orFail, parseSecretOption } from '../../src/manifest/answers.js';
import { subGenerator } from '../../src/generate/sub-generator.js';

/** `yo platform:secret [NAME:ENV_VAR:STORE_PATH]`: the same as `platform add secret`. */
export default subGenerator({
  syntax: 'NAME:ENV_VAR:STORE_PATH',
  example: 'stripe-api-key:STRIPE_API_KEY:payments/stripe',
  validate: (value) => { const result = parseSecretOption(value); return typeof result === 'string' ? result : true; },
  toAddition: (value) => ({ kind: 'secret', secret: orFail(parseSecretOption(value)) }),
});
