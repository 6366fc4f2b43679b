import { UserError } from '../core/errors.js';
import { positionOf, type ParsedYaml } from '../core/yaml.js';
import { parseMigrations } from '../upgrade/migrations.js';
import { isVersion } from '../source/versions.js';
import { codeownersPattern } from './codeowners.js';
import { MODES, type TemplateDefinition } from './source.js';

/**
 * A template.yaml is the platform team's hand-written data: its shape is checked where it is read, so a
 * mistake is one line at its file and line rather than a crash somewhere in a render or an upgrade.
 */
export function checkTemplateDefinition(parsed: ParsedYaml, file: string): TemplateDefinition {
  const value = parsed.value as Record<string, unknown> | null;
  const fail = (path: Array<string | number>, message: string): never => {
    const at = positionOf(parsed, path);
    throw new UserError(message, file, at.line, at.column);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail([], 'expected a mapping with name, version and modes');
  const definition = value as Record<string, unknown>;
  if (typeof definition.name !== 'string' || !definition.name) fail(['name'], 'name: expected the template\'s name');
  if (typeof definition.version !== 'string' || !isVersion(definition.version)) fail(['version'], 'version: expected a version such as 1.2.0');
  if (!Array.isArray(definition.modes) || definition.modes.length === 0) fail(['modes'], 'modes: expected a list of { pattern, mode }');
  (definition.modes as unknown[]).forEach((rule, index) => {
    const { pattern, mode } = (rule ?? {}) as { pattern?: unknown; mode?: unknown };
    if (typeof pattern !== 'string' || !pattern) fail(['modes', index], `modes.${index}.pattern: expected a glob such as "deploy/**"`);
    if (!MODES.includes(mode as never)) fail(['modes', index], `modes.${index}.mode: expected one of ${MODES.join(', ')}`);
    // The modes become the generated CODEOWNERS (src/render/codeowners.ts), whose patterns are plainer than globs.
    if (codeownersPattern(pattern as string) === undefined) {
      fail(['modes', index, 'pattern'], `modes.${index}.pattern: CODEOWNERS cannot say braces, brackets, negation or spaces: write the paths out`);
    }
  });
  // Checked here, once: every later reader takes template.migrations as they are.
  if (definition.migrations !== undefined) definition.migrations = parseMigrations(definition.migrations, file);
  return definition as unknown as TemplateDefinition;
}
