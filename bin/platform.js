#!/usr/bin/env node
// Thin launcher: the CLI is a CommonJS bundle built into dist/cli (by `npm install`, through the prepare
// script), loaded with the V8 code cache the build wrote beside it.
import { fileURLToPath } from 'node:url';
import { loadCommonJs } from '../dist/src/core/code-cache.js';

const cli = loadCommonJs(fileURLToPath(new URL('../dist/cli/platform.cjs', import.meta.url)));
await cli.main(process.argv.slice(2));

// Leave as soon as the output is written. A process left to end by itself first finishes the garbage
// collector's pending work, a tenth of a short run's time; nothing of ours is still running here.
const flushed = (stream) => new Promise((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit();
