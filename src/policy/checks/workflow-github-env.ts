/**
 * A line appended to $GITHUB_ENV sets a variable for every later step, and one appended to $GITHUB_PATH
 * puts a folder first on their PATH: written from untrusted text (`NAME=${{ title }}`, or a variable
 * that holds it), it lets the text's author set LD_PRELOAD, NODE_OPTIONS or BASH_ENV, or choose which
 * program later steps run. The finding is on the line that writes it.
 */
import type { BuiltinCheck } from './registry.js';
import { findInNode, rangeAt } from './text.js';
import { TAINT_PARAMS, taintRegexParams, taintRules } from './workflow-injection.js';
import { TAINT_DEFAULTS } from './workflow-sources.js';
import { untrustedWrites, WorkflowTaint } from './workflow-taint.js';
import { workflowLanguage } from '../../workflow/load.js';

export const workflowGithubEnv: BuiltinCheck = {
  name: 'workflow-github-env',
  scope: 'files',
  description: 'Finds lines of `run:` scripts that append untrusted text (a `${{ }}` or a shell variable traced to the same sources as workflow-injection) to $GITHUB_ENV or $GITHUB_PATH.',
  params: { type: 'object', additionalProperties: false, properties: TAINT_PARAMS },
  defaults: TAINT_DEFAULTS,
  regexParams: taintRegexParams,
  run(context) {
    const rules = taintRules(context);
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        const taint = new WorkflowTaint(workflowLanguage(), file, doc, rules);
        taint.walk((scope) => {
          context.tick();
          const script = scope.step.value.run;
          if (typeof script !== 'string') return;
          const node = doc.locate([...scope.step.path, 'run']);
          for (const write of untrustedWrites(taint, script, scope)) {
            if (write.target === 'GITHUB_OUTPUT') continue;
            const text = write.line.trim();
            const offset = findInNode(file, node, text);
            const range = offset !== undefined ? rangeAt(file, offset, text.length) : node;
            context.report(file.path, range, `writes untrusted input to $${write.target} (confidence: ${write.taint.confidence}; from ${write.taint.source}), which every later step of the job trusts: check it first, or pass it through env: to the steps that need it`);
          }
        });
      }
    }
  },
};
