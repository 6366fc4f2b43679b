/**
 * `if: github.actor == 'dependabot[bot]'` trusts whoever last acted on the run: on a pull request that
 * Dependabot once updated, anyone who can trigger a re-run (or a rebase by the bot) runs as "the bot".
 * The author of the pull request is what such a condition means: github.event.pull_request.user.login.
 */
import type { ExpressionNode } from '../../workflow/types.js';
import { workflowLanguage } from '../../workflow/load.js';
import type { BuiltinCheck } from './registry.js';
import { jobsOf, stepsOf, TRIGGERS_PARAMS, workflowsOnTriggers } from './workflow-steps.js';

const ACTORS = new Set(['github.actor', 'github.triggering_actor', 'github.actor_id', 'github.event.sender.login']);

export const workflowBotConditions: BuiltinCheck = {
  name: 'workflow-bot-conditions',
  scope: 'files',
  description: 'In workflows on the given triggers, finds `if:` conditions of jobs and steps that compare github.actor (or triggering_actor, sender.login) with a bot account (a name ending in [bot]).',
  params: TRIGGERS_PARAMS,
  run(context) {
    for (const { file, doc, on } of workflowsOnTriggers(context)) {
      for (const holder of [...jobsOf(file, doc), ...stepsOf(file, doc)]) {
        context.tick();
        const condition = holder.value.if;
        if (typeof condition !== 'string') continue;
        const inner = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
        const spoofed = botComparison(workflowLanguage().parseExpression(inner));
        if (spoofed) context.reportAt(file.path, doc, [...holder.path, 'if'], `${spoofed} is true for whoever triggers the run after the bot did, in a workflow on ${on.join(', ')}: compare github.event.pull_request.user.login instead`);
      }
    }
  },
};

/** The comparison of an actor with a bot account, as it reads, wherever it sits in the condition. */
function botComparison(node: ExpressionNode): string | undefined {
  if (node.kind === 'operator' && node.operator === '==') {
    const [left, right] = node.args;
    for (const [path, literal] of [[left, right], [right, left]]) {
      if (path?.kind === 'path' && literal?.kind === 'literal' && ACTORS.has(path.parts.join('.')) && /\[bot\]$/i.test(literal.value)) return `${path.parts.join('.')} == '${literal.value}'`;
    }
  }
  if (node.kind === 'call' && (node.name === 'contains' || node.name === 'startswith' || node.name === 'endswith')) {
    const [haystack, needle] = node.args;
    if (haystack?.kind === 'path' && ACTORS.has(haystack.parts.join('.')) && needle?.kind === 'literal' && /\[bot\]$/i.test(needle.value)) return `${node.name === 'contains' ? 'contains' : node.name === 'startswith' ? 'startsWith' : 'endsWith'}(${haystack.parts.join('.')}, '${needle.value}')`;
  }
  if (node.kind === 'operator' || node.kind === 'call') {
    for (const arg of node.args) {
      const found = botComparison(arg);
      if (found) return found;
    }
  }
  return undefined;
}
