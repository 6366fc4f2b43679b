#!/usr/bin/env node
// Thin launcher: the CLI is a CommonJS bundle built into dist/cli (by `npm install`, through the prepare
// script), loaded with the V8 code cache the build wrote beside it. CommonJS here too: an ES module entry
// point costs a cold start the set-up of Node's ESM loader.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli');
if (!existsSync(join(built, 'platform.cjs')) || !existsSync(join(built, 'code-cache.cjs'))) {
  process.stderr.write(`platform: ${built} holds no built command: run \`npm run build\`\n`);
  process.exit(2);
}
const { loadCommonJs } = require(join(built, 'code-cache.cjs'));
// The bundle cannot import() by itself (see src/core/code-cache.ts): it borrows this module's.
const cli = loadCommonJs(join(built, 'platform.cjs'), { importModule: (specifier) => import(specifier) });

// Leave as soon as the output is written. A process left to end by itself first finishes the garbage
// collector's pending work, a tenth of a short run's time; nothing of ours is still running here.
const flushed = (stream) => new Promise((resolve) => stream.write('', () => resolve()));
cli
  .main(process.argv.slice(2))
  .then(() => Promise.all([flushed(process.stdout), flushed(process.stderr)]))
  .then(() => process.exit());
