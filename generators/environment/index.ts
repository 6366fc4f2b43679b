import { additionSpec } from '../../src/generate/add.js';
import { subGenerator } from '../../src/generate/sub-generator.js';

/** `yo platform:environment [VALUE]`: the same as `platform add environment` (src/generate/add.ts declares both). */
export default subGenerator(additionSpec('environment'));
