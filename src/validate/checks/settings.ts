/**
 * manifest-schema, for the other file of that policy: an organization settings file kept in the
 * repository (a template source keeps its `settings.yaml`) against schemas/settings.schema.json, then the
 * rules that span its fields.
 */
import { isUserError } from '../../core/errors.js';
import { SETTINGS_SCHEMA_ID, describeErrors, validatorFor } from '../../core/schemas.js';
import { parseYaml } from '../../core/yaml.js';
import { checkSettings } from '../../settings/settings.js';
import { problem, type Problem } from '../problem.js';
import { MANIFEST_SCHEMA } from './manifest.js';
import { schemaErrorProblems } from '../schema-errors.js';
import type { RepositoryFile } from '../types.js';


export function checkSettingsFile(file: RepositoryFile): Problem[] {
  const problems: Problem[] = [];
  const validate = validatorFor(SETTINGS_SCHEMA_ID);
  for (const document of file.documents) {
    if (!validate(document.value)) {
      problems.push(...schemaErrorProblems(validate.errors, {
        policy: MANIFEST_SCHEMA,
        file: file.path,
        document,
        value: document.value,
        describe: (error) => describeErrors([error], validate)[0]?.message,
      }));
      continue;
    }
    if (file.documents.length > 1) continue;
    try {
      // The rules across fields live with the settings loader, which stops at the first: one finding.
      checkSettings(parseYaml(file.text, file.path));
    } catch (error) {
      if (!isUserError(error)) throw error;
      const line = error.line ?? 1;
      const column = error.column ?? 1;
      problems.push(problem(MANIFEST_SCHEMA, file.path, { line, column, endLine: line, endColumn: column + 1 }, error.message));
    }
  }
  return problems;
}
