/**
 * A tag of a third-party action can be moved to other code at any time; a full commit SHA cannot. The
 * organization's own actions and reusable workflows are the exception: they are pinned by release tag,
 * so that a new platform release reaches every repository through its major tag.
 */
import type { NodePath, RepositoryFile, YamlDocument } from '../../validate/types.js';
import type { BuiltinCheck } from './registry.js';
import { findInNode, offsetOf, rangeAt } from './text.js';
import { jobsOf, stepsOf } from './workflow-steps.js';
import { linearRegExp } from '../linear-regexp.js';

const SHA = /^[0-9a-f]{40}$/;

export const actionsPinned: BuiltinCheck = {
  name: 'actions-pinned',
  scope: 'files',
  description: "Checks every `uses:` of workflows and composite actions: third-party actions and reusable workflows by full commit SHA, Docker images by digest, the organization's own (the owners of settings.workflows.repository and settings.action.repository) by a tag matching ownTag.",
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { ownTag: { type: 'string', minLength: 1 } },
  },
  defaults: { ownTag: '^v[0-9]+(\\.[0-9]+){0,2}$' },
  regexParams: (params) => [{ path: ['ownTag'], pattern: String(params.ownTag) }],
  run(context) {
    const ownTag = linearRegExp(String(context.params.ownTag));
    const owners = context.org.ownedActionOwners.map((owner) => owner.toLowerCase());
    const check = (file: RepositoryFile, doc: YamlDocument, path: NodePath, written: unknown) => {
      if (typeof written !== 'string') return;
      // GitHub trims the value: `uses: |` followed by the reference is the reference.
      const uses = written.trim();
      // ./ and $/ are this repository's own, at the same commit.
      if (uses.startsWith('./') || uses.startsWith('$/')) return;
      const report = (message: string) => {
        const node = doc.locate(path);
        const block = /[|>]/.test(file.text.charAt(offsetOf(file, node.line, node.column)));
        const offset = block ? findInNode(file, node, uses) : undefined;
        context.report(file.path, offset === undefined ? node : rangeAt(file, offset, uses.length), message);
      };
      if (uses.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(uses)) report(`"${uses}" is not pinned to an image digest (@sha256:...)`);
        return;
      }
      const at = uses.lastIndexOf('@');
      const target = at === -1 ? uses : uses.slice(0, at);
      const ref = at === -1 ? '' : uses.slice(at + 1);
      const owner = target.split('/')[0]!.toLowerCase();
      if (owners.includes(owner)) {
        if (!ownTag.test(ref) && !SHA.test(ref)) report(`"${uses}" is the organization's own: pin it by a release tag (such as ${context.settings.action.ref}), not "${ref || 'nothing'}"`);
      } else if (!SHA.test(ref)) {
        report(`"${uses}" is not pinned to a full 40-character commit SHA (write ${target}@<sha> # ${ref || 'version'})`);
      }
    };
    for (const file of context.files()) {
      context.tick(file.path);
      for (const doc of file.documents) {
        for (const job of jobsOf(file, doc)) check(file, doc, [...job.path, 'uses'], job.value.uses);
        for (const step of stepsOf(file, doc)) check(file, doc, [...step.path, 'uses'], step.value.uses);
      }
    }
  },
};
