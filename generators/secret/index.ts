import { additionSpec } from '../../src/generate/add.js';
import { subGenerator } from '../../src/generate/sub-generator.js';

/** `yo platform:secret [VALUE]`: the same as `platform add secret` (src/generate/add.ts declares both). */
export default subGenerator(additionSpec('secret'));
