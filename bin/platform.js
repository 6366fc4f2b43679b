#!/usr/bin/env node
// Thin launcher: the CLI is built into dist/cli (by `npm install`, through the prepare script).
import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
