/**
 * Built-in checks: the cross-file rules JSON Schema cannot say, written in TypeScript once and
 * referenced by name from policy data files (`assert: [{ check: secrets-declared }]`). Each declares
 * the parameters a data file may pass, as a JSON Schema, so a typo fails at load with its line.
 */
import type { CheckContext } from '../context.js';

export interface BuiltinCheck {
  name: string;
  /** One sentence for the docs: what it looks at. */
  description: string;
  /** JSON Schema of `params`; absent means the check takes none. */
  params?: Record<string, unknown>;
  /** Defaults for absent parameters. */
  defaults?: Record<string, unknown>;
  /** Parameters that are regular expressions, checked for safety at load (see regex-safety.ts). */
  regexParams?: (params: Record<string, unknown>) => Array<{ path: Array<string | number>; pattern: string }>;
  /**
   * What of a rule's `appliesTo` the check honours: `documents` reads context.documents() (every field:
   * files, paths, resources as each overlay builds them, environments); `files` reads context.files()
   * (files, paths and excludePaths); `fixed` reads the files it is about by name (none). The loader
   * refuses a field the check would ignore.
   */
  scope: 'documents' | 'files' | 'fixed';
  run(context: CheckContext): void;
}
