/**
 * manifest-schema: platform.yaml against schemas/platform.schema.json, then the rules that need the
 * organization settings (src/manifest/rules.ts): the same checks `platform new` applies to answers.
 */
import { MANIFEST_SCHEMA_ID, describeErrors, validatorFor } from '../../core/schemas.js';
import { manifestProblems } from '../../manifest/rules.js';
import { MANIFEST_FILE } from '../../manifest/types.js';
import { FILE_START, problem, type Problem } from '../problem.js';
import { schemaErrorProblems } from '../schema-errors.js';
import type { RepositoryModel } from '../types.js';

export const MANIFEST_SCHEMA = 'manifest-schema';

export function checkManifest(model: RepositoryModel, parseFailed: (path: string) => boolean): Problem[] {
  const file = model.file(MANIFEST_FILE);
  if (!file) {
    if (parseFailed(MANIFEST_FILE)) return [];
    return [problem(MANIFEST_SCHEMA, MANIFEST_FILE, FILE_START, 'is missing: every platform repository has a platform.yaml at its root')];
  }
  const [document, ...extra] = file.documents;
  if (!document) return parseFailed(MANIFEST_FILE) ? [] : [problem(MANIFEST_SCHEMA, MANIFEST_FILE, FILE_START, 'is empty')];
  const problems: Problem[] = extra.map((other) => problem(MANIFEST_SCHEMA, MANIFEST_FILE, other.locate([]), `holds ${file.documents.length} documents; platform.yaml must hold exactly one`));
  const validate = validatorFor(MANIFEST_SCHEMA_ID);
  if (!validate(document.value)) {
    problems.push(...schemaErrorProblems(validate.errors, {
      policy: MANIFEST_SCHEMA,
      file: MANIFEST_FILE,
      document,
      value: document.value,
      // The manifest's messages are the generator's: the same words at a prompt and in a finding.
      describe: (error) => describeErrors([error], validate)[0]?.message,
    }));
    return problems;
  }
  for (const rule of manifestProblems(document.value, model.settings)) {
    problems.push(problem(MANIFEST_SCHEMA, MANIFEST_FILE, document.locate(rule.path), rule.message));
  }
  return problems;
}
