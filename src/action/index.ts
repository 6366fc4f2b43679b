// The bundle's entry point (dist/action/index.js), started by the runner with node24. The bundle runs
// without node_modules: it hands the validator the modules the CLI would load from there at run time.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { provideSchemaCompiler, type SchemaCompiler } from '../core/schemas.js';
import { provideKindModules } from '../validate/kubernetes-kinds.js';
import { KIND_MODULES } from '../validate/kind-modules.js';
import { provideWorkflowLanguage } from '../workflow/load.js';
import { language } from '../workflow/language.js';
import { run } from './main.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped once more.
type AddFormats = SchemaCompiler['addFormats'];
const addFormats = ((addFormatsPlugin as unknown as { default?: AddFormats }).default ?? addFormatsPlugin) as AddFormats;

provideSchemaCompiler({ Ajv2020, addFormats });
provideKindModules((specifier) => KIND_MODULES.get(specifier), () => KIND_MODULES.keys());
provideWorkflowLanguage(language);
await run();
