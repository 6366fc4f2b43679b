import { additionSpec } from '../../src/generate/add.js';
import { subGenerator } from '../../src/generate/sub-generator.js';

/** `yo platform:database [VALUE]`: the same as `platform add database` (src/generate/add.ts declares both). */
export default subGenerator(additionSpec('database'));
