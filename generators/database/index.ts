import { orFail, parseDatabaseOption } from '../../src/manifest/answers.js';
import { subGenerator } from '../../src/generate/sub-generator.js';

/** `yo platform:database [NAME:ENGINE[:VERSION][:SIZE][:backups]]`: the same as `platform add database`. */
export default subGenerator({
  syntax: 'NAME:ENGINE[:VERSION][:SIZE][:backups]',
  example: 'main:postgres:16:backups',
  validate: (value) => { const result = parseDatabaseOption(value); return typeof result === 'string' ? result : true; },
  toAddition: (value) => ({ kind: 'database', database: orFail(parseDatabaseOption(value)) }),
});
