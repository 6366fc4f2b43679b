// Build step: compile our own JSON Schemas into standalone validators (CommonJS, because ajv's standalone
// output requires ajv-formats' CommonJS modules), so the CLI does not compile schemas at every start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { PRECOMPILED_FILE, PRECOMPILED_REFS, schemaFingerprint, schemaRegistry } from '../dist/src/core/schemas.js';

const ajv = schemaRegistry();
const exports = Object.fromEntries(PRECOMPILED_REFS.map((ref, index) => [`v${index}`, ref]));
const code = standaloneCode.default(ajv, exports);
const table = PRECOMPILED_REFS.map((ref, index) => `  ${JSON.stringify(ref)}: module.exports.v${index},`).join('\n');
mkdirSync(dirname(PRECOMPILED_FILE), { recursive: true });
writeFileSync(PRECOMPILED_FILE, `${code}\nmodule.exports.fingerprint = ${JSON.stringify(schemaFingerprint())};\nmodule.exports.validators = {\n${table}\n};\n`);

// The central policies too, compiled for the embedded organization settings (src/policy/precompile.ts).
const { writeCompiledPolicies } = await import('../dist/src/policy/precompile.js');
writeCompiledPolicies();

// The built-in custom resource kinds, from their upstream CRDs (src/core/builtin-crds.ts).
const { BUNDLED_CRDS_FILE, writeBuiltinCrds } = await import('../dist/src/core/builtin-crds.js');
const crds = writeBuiltinCrds();
if ('reason' in crds) {
  const instead = existsSync(BUNDLED_CRDS_FILE) ? 'they are compiled on first use from dist/action/crds.json' : 'they are checked by the older validators';
  console.warn(`compile-schemas: built-in CRD kinds not precompiled (${crds.reason}); ${instead}`);
}
