/**
 * Where policies get their JSON Schema compiler. ajv costs about 50 ms to import, more than a whole
 * validation, so it is only loaded when a policy must be compiled (the build precompiles the central
 * ones, see compiled.ts). It comes from the same place as the validator's own schema compiler, which
 * knows how to find ajv both in a normal install and in the Action's bundle, where there are no
 * node_modules and the bundle hands ajv over.
 */
import type { Ajv2020, Options } from 'ajv/dist/2020.js';
import { schemaRegistry } from '../core/schemas.js';

export function newAjv(options: Options): Ajv2020 {
  const registry = schemaRegistry();
  const Compiler = registry.constructor as new (options: Options) => Ajv2020;
  const ajv = new Compiler(options);
  // The same formats (date, uri, email...) as the validator's own schemas.
  for (const [name, format] of Object.entries(registry.formats)) if (format !== undefined) ajv.addFormat(name, format);
  return ajv;
}
