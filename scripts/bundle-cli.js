// Build step: the `platform` command as one bundle of our modules and the small libraries they use.
// A cold `platform validate` spends a fifth of its time resolving and loading ~150 separate modules;
// the bundle loads a handful. Yeoman (only for prompts) and the Kubernetes models (loaded per kind, by
// name) stay in node_modules. `dist/src` remains the library the generators and tests import.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  external: ['yeoman-environment', 'yeoman-generator', '@yeoman/adapter', 'kubernetes-models', '@kubernetes-models/*', '@octokit/*', '@actions/*'],
  // CommonJS dependencies inside an ESM bundle call require(): give them one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
});
