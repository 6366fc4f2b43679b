/**
 * A release built from a restored cache builds whatever the cache holds, and any workflow of the
 * repository, a pull request's included, can write the cache of the default branch that a tag or a
 * release then restores. Release workflows build from a clean state.
 */
import { isPlainObject } from '../select.js';
import type { BuiltinCheck } from './registry.js';
import { stepsOf, triggersOf } from './workflow-steps.js';

export const workflowCachePoisoning: BuiltinCheck = {
  name: 'workflow-cache-poisoning',
  scope: 'files',
  description: 'In release workflows (the given `triggers`, or `push` with `tags`), finds steps that restore a cache: the `cacheActions`, and the `cacheInputs` of setup actions (an input set to anything but false or an empty string; `cachesByDefault` lists actions that cache unless told `false`).',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['triggers', 'cacheActions', 'cacheInputs'],
    properties: {
      triggers: { type: 'array', items: { type: 'string', minLength: 1 } },
      cacheActions: { type: 'array', items: { type: 'string', minLength: 1 } },
      cacheInputs: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
      cachesByDefault: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  },
  defaults: { cachesByDefault: [] },
  run(context) {
    const triggers = context.params.triggers as string[];
    const cacheActions = (context.params.cacheActions as string[]).map((name) => name.toLowerCase());
    const cacheInputs = new Map(Object.entries(context.params.cacheInputs as Record<string, string>).map(([action, input]) => [action.toLowerCase(), input]));
    const byDefault = (context.params.cachesByDefault as string[]).map((name) => name.toLowerCase());
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        const release = releaseTriggers(doc.value, triggersOf(doc), triggers);
        if (release.length === 0) continue;
        for (const step of stepsOf(file, doc)) {
          context.tick();
          const uses = typeof step.value.uses === 'string' ? step.value.uses.trim() : '';
          const action = uses.split('@')[0]!.toLowerCase();
          const withs = isPlainObject(step.value.with) ? step.value.with : {};
          const why = `in a release workflow (on ${release.join(', ')}), which builds what a cache any workflow can write holds: build releases without caches`;
          if (cacheActions.includes(action)) {
            context.reportAt(file.path, doc, [...step.path, 'uses'], `${action} restores a cache ${why}`);
            continue;
          }
          const input = cacheInputs.get(action);
          if (!input) continue;
          const value = withs[input];
          const off = value === false || value === 'false' || value === '';
          if (value !== undefined && !off) context.reportAt(file.path, doc, [...step.path, 'with', input], `${action} with ${input}: ${String(value)} restores a cache ${why}`);
          else if (value === undefined && byDefault.includes(action)) context.reportAt(file.path, doc, [...step.path, 'uses'], `${action} restores a cache unless told ${input}: false, ${why}`);
        }
      }
    }
  },
};

/** The triggers that make a workflow a release one: the listed events, and pushes of tags. */
function releaseTriggers(root: unknown, events: string[], triggers: string[]): string[] {
  const found = events.filter((event) => triggers.includes(event));
  const on = isPlainObject(root) ? (root.on ?? root.true) : undefined;
  if (isPlainObject(on) && isPlainObject(on.push) && (on.push.tags !== undefined || on.push['tags-ignore'] !== undefined)) found.push('push of tags');
  return found;
}
