// Build step: the `platform` command as CommonJS bundles that bin/platform.cjs loads with a V8 code cache
// (src/core/code-cache.ts; scripts/code-cache.js writes the caches):
//  - dist/cli/platform.cjs: our modules and the small libraries they use. Commands are still evaluated
//    only when run; Yeoman (only for prompts) stays in node_modules.
//  - dist/cli/workflows.cjs: GitHub's workflow parser and schemas, loaded when a repository has workflows.
//  - dist/cli/kinds-common.cjs: the validators of the Kubernetes kinds the templates generate, and
//    dist/cli/kinds.cjs: those of every kind, loaded when a resource needs one (src/cli/bundle.ts).
// CommonJS because Node 20 can give a code cache only to a vm.Script. `dist/src` remains the library the
// generators and tests import.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Without comments and indentation: a third less source to read at every start, and only ASCII left
  // (a comment's "…" made V8 decode and hold the whole bundle as two-byte text).
  minifyWhitespace: true,
  // Our modules find their package from their own location; in a CommonJS bundle that is the bundle's.
  // The banner comes before esbuild's own "use strict", which then no longer counts: it says it first.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "'use strict';\nconst __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // The punycode package, not Node's deprecated module of the same name (which warns on Node 21 and later
  // when called from outside node_modules, as a bundle is).
  alias: { punycode: 'punycode/punycode.js' },
};

await build({
  ...common,
  entryPoints: { platform: join(root, 'src', 'cli', 'bundle.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
  external: ['yeoman-environment', 'yeoman-generator', '@yeoman/adapter', 'kubernetes-models', '@kubernetes-models/*', '@actions/*'],
});
// The launcher's loader, for bin/platform.cjs.
await build({
  ...common,
  entryPoints: { 'code-cache': join(root, 'src', 'core', 'code-cache.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
});
// GitHub's Actions language (src/workflow/language.ts), loaded only when a repository has workflows. Its
// schemas are not in the package's exports map: the same aliases as `npm run bundle`.
const parserDist = './node_modules/@actions/workflow-parser/dist';
const sharedYaml = {
  name: 'shared-yaml',
  setup(builder) {
    builder.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'shared-yaml' }));
    builder.onLoad({ filter: /.*/, namespace: 'shared-yaml' }, () => ({
      contents: "const yaml = globalThis[Symbol.for('generator-platform.yaml')]; if (!yaml) throw new Error('workflows.cjs: load it through src/workflow/load.ts, which provides yaml'); module.exports = yaml;",
      loader: 'js',
    }));
  },
};
await build({
  ...common,
  entryPoints: { workflows: join(root, 'src', 'workflow', 'language.ts') },
  absWorkingDir: root,
  outdir,
  outExtension: { '.js': '.cjs' },
  alias: {
    ...common.alias,
    '@actions/workflow-parser/workflow-v1.0.min.json': `${parserDist}/workflow-v1.0.min.json`,
    '@actions/workflow-parser/action-v1.0.min.json': `${parserDist}/action-v1.0.min.json`,
  },
  // The parser reads YAML with the `yaml` package the loader already runs (src/workflow/load.ts hands it
  // over): a second copy would be loaded and warmed up again, a tenth of a cold validate.
  plugins: [sharedYaml],
});
await build({
  ...common,
  entryPoints: { kinds: join(root, 'src', 'validate', 'kind-modules.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
});
// The list comes from the library tsc has just built; the entry is written here so that each kind is
// named once, in src/validate/kind-modules.ts.
const { TEMPLATE_KINDS } = await import(join(root, 'dist', 'src', 'validate', 'kind-modules.js'));
const imports = TEMPLATE_KINDS.map((specifier) => `[${JSON.stringify(specifier)}, () => import(${JSON.stringify(specifier)})]`);
await build({
  ...common,
  stdin: { contents: `export const KIND_MODULES = new Map([${imports.join(', ')}]);`, resolveDir: root, sourcefile: 'kinds-common.js' },
  outfile: join(outdir, 'kinds-common.cjs'),
});
// The fleet report page's script with its chart library, for `platform report --format html` to inline:
// the page loads nothing at view time (src/fleet/report/format/html.ts).
await build({
  entryPoints: [join(root, 'src', 'fleet', 'page', 'main.ts')],
  outfile: join(outdir, 'report-page.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
});
const page = readFileSync(join(outdir, 'report-page.js'), 'utf8');
// Inlined in a <script> element, the text must not end it early.
if (/<\/script|<!--/i.test(page)) throw new Error('dist/cli/report-page.js contains "</script" or "<!--": it cannot be inlined');
