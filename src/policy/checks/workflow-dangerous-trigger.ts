/**
 * `pull_request_target` and `workflow_run` run with the base repository's secrets, and with a token as
 * strong as the job's `permissions` (the repository's default, which may write, when none are set).
 * Checking out the pull request's own code there and building or running it hands them to whoever
 * opened the pull request ("pwn request"). The finding points at the ref or command that checks it out,
 * and says what the token can do.
 */
import type { BuiltinCheck } from './registry.js';
import { findInNode, rangeAt } from './text.js';
import { isPlainObject } from '../select.js';
import { stepsOf, workflowsOnTriggers, type Step } from './workflow-steps.js';
import { linearRegExp } from '../linear-regexp.js';

export const workflowDangerousTrigger: BuiltinCheck = {
  name: 'workflow-dangerous-trigger',
  scope: 'files',
  description: 'In workflows triggered by the given privileged events, finds actions/checkout steps whose ref or repository matches the pull-request-code patterns (directly or through the `env.NAME` it names), and run: scripts matching the checkout-command patterns.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['triggers', 'headRefs', 'commands'],
    properties: {
      triggers: { type: 'array', items: { type: 'string' } },
      headRefs: { type: 'array', items: { type: 'string', minLength: 1 } },
      commands: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  },
  regexParams: (params) => [
    ...(params.headRefs as string[]).map((pattern, index) => ({ path: ['headRefs', index], pattern })),
    ...(params.commands as string[]).map((pattern, index) => ({ path: ['commands', index], pattern })),
  ],
  run(context) {
    const headRefs = (context.params.headRefs as string[]).map((pattern) => linearRegExp(pattern));
    const commands = (context.params.commands as string[]).map((pattern) => linearRegExp(pattern));
    for (const { file, doc, on: triggers } of workflowsOnTriggers(context)) {
      const on = triggers.join(', ');
      for (const step of stepsOf(file, doc)) {
        context.tick();
        const exposes = exposedBy(step, doc.value);
        const uses = typeof step.value.uses === 'string' ? step.value.uses : '';
        const withs = step.value.with && typeof step.value.with === 'object' ? (step.value.with as Record<string, unknown>) : {};
        if (uses.trim().startsWith('actions/checkout@')) {
          for (const input of ['ref', 'repository']) {
            const value = withs[input];
            if (typeof value === 'string' && headRefs.some((pattern) => pattern.test(withEnv(value, step, doc.value)))) {
              context.reportAt(file.path, doc, [...step.path, 'with', input], `checks out the pull request's code (${input}: ${value}) in a workflow on ${on}, ${exposes}`);
            }
          }
        }
        if (typeof step.value.run === 'string') {
          const script = step.value.run;
          for (const pattern of commands) {
            const found = pattern.matches(script).next();
            if (found.done) continue;
            const matched = script.slice(found.value.index, found.value.index + found.value.length);
            const node = doc.locate([...step.path, 'run']);
            const offset = findInNode(file, node, matched);
            const range = offset !== undefined ? rangeAt(file, offset, matched.length) : node;
            context.report(file.path, range, `"${matched}" checks out the pull request's code in a workflow on ${on}, ${exposes}`);
            break;
          }
        }
      }
    }
  },
};

/**
 * A checkout's ref with the definitions of the `env.NAME` it reads appended (the step's, the job's, the
 * workflow's), so that `ref: ${{ env.HEAD }}` with `HEAD: ${{ github.event.pull_request.head.sha }}` is seen.
 */
function withEnv(value: string, step: Step, root: unknown): string {
  const levels = [step.value.env, step.jobId !== undefined && isPlainObject(root) && isPlainObject(root.jobs) && isPlainObject(root.jobs[step.jobId]) ? (root.jobs[step.jobId] as Record<string, unknown>).env : undefined, isPlainObject(root) ? root.env : undefined];
  const parts = [value];
  for (const match of value.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]{0,100})/g)) {
    const level = levels.find((env) => isPlainObject(env) && typeof env[match[1]!] === 'string') as Record<string, string> | undefined;
    if (level) parts.push(level[match[1]!]!);
  }
  return parts.join('\n');
}

/** What the step's job hands to the code it checks out: always the secrets, and a token as its permissions make it. */
function exposedBy(step: Step, root: unknown): string {
  const job = step.jobId !== undefined && isPlainObject(root) && isPlainObject(root.jobs) ? root.jobs[step.jobId] : undefined;
  const permissions = isPlainObject(job) && 'permissions' in job ? job.permissions : isPlainObject(root) ? root.permissions : undefined;
  if (permissions === 'write-all') return 'which runs with secrets and a write token';
  if (permissions === 'read-all') return 'which runs with secrets (its token is read-only)';
  if (isPlainObject(permissions)) {
    const writes = Object.entries(permissions).filter(([, level]) => level === 'write').map(([scope]) => scope);
    if (writes.length > 0) return `which runs with secrets and a token that can write ${writes.join(', ')}`;
    return Object.keys(permissions).length === 0 ? 'which runs with secrets (its token has no permissions)' : 'which runs with secrets (its token is read-only)';
  }
  // No permissions (or an expression): the repository's default token, which is a write token unless the organization made it read-only.
  return "which runs with secrets and the repository's default token, which can write unless the organization made it read-only";
}
