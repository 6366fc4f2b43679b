// `npm run bundle`: the GitHub Action as one ES module, dist/action/index.js, committed because a
// JavaScript action runs without node_modules (action.yml points at it; CI fails when it is stale).
// Node's `require` is rebuilt from import.meta.url for the CommonJS dependencies esbuild inlines.
// `--outfile FILE` writes it elsewhere (test/action-bundle.test.ts builds a second one to compare).
// Beside it, crds.json: the built-in custom kinds from their upstream CRDs (src/core/builtin-crds.ts), read
// from the third-party data as the build reads them; so it runs after `npm run build`.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const at = process.argv.indexOf('--outfile');
const outfile = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(root, 'dist', 'action', 'index.js');

const compiled = join(root, 'dist', 'src', 'core', 'builtin-crds.js');
if (!existsSync(compiled)) {
  console.error('bundle-action: dist/src is missing: run `npm run build` first');
  process.exit(1);
}
// First, so that a missing third-party folder leaves the committed bundle as it was.
mkdirSync(dirname(outfile), { recursive: true });
const { writeBundledCrds } = await import(compiled);
const crds = writeBundledCrds(join(dirname(outfile), 'crds.json'));
if ('reason' in crds) {
  console.error(`bundle-action: cannot write the built-in CRD kinds beside the bundle: ${crds.reason}`);
  process.exit(1);
}

await build({
  entryPoints: [join(root, 'src', 'action', 'index.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile,
  logLevel: 'warning',
  // GitHub's workflow parser imports its schemas by paths its package does not export.
  alias: {
    ...Object.fromEntries(['workflow-v1.0.min.json', 'action-v1.0.min.json'].map((file) => [`@actions/workflow-parser/${file}`, join(root, 'node_modules', '@actions', 'workflow-parser', 'dist', file)])),
    // Node's own punycode module is deprecated (a warning on every run on Node 22+): the userland package of the same code.
    punycode: 'punycode/',
  },
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
});
