/**
 * An image without a tag, or with a moving tag such as `latest`, deploys whatever was pushed last: the
 * same commit of the repository can run different code. The tag in effect is the one after the
 * overlay's `images:` field, so a base image without a tag is fine when every overlay that deploys it
 * sets one, and the finding points at whichever node set the tag in effect. A CloudNativePG Cluster's
 * `spec.imageName` is checked too (kustomize's `images:` does not change it), where a tag of a major
 * version alone (`16`, `16-bookworm`) moves with every minor release.
 */
import type { Range } from '../../validate/types.js';
import { splitImage, type Origin } from '../kustomize.js';
import { isPlainObject } from '../select.js';
import { containersOf, isDatabaseCluster } from '../workloads.js';

/** A tag naming only a PostgreSQL major version, maybe with a flavour: the operand image moves under it. */
const MAJOR_ONLY = /^[0-9]+(-[a-z][a-z0-9]*)*$/;
import type { BuiltinCheck } from './registry.js';

export const imageTagPinned: BuiltinCheck = {
  name: 'image-tag-pinned',
  scope: 'files',
  description: "Checks every container image, after each overlay's `images:` transform, every `images:` entry of a kustomization and every CloudNativePG Cluster's `spec.imageName`: a tag or digest is required and the moving tags given are refused (for a Cluster, a major version alone too).",
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { movingTags: { type: 'array', items: { type: 'string' } } },
  },
  defaults: { movingTags: ['latest'] },
  run(context) {
    const moving = new Set(context.params.movingTags as string[]);
    // One finding per node that set a bad tag, naming every environment it reaches.
    const problems = new Map<string, { file: string; range: Range; problem: string; environments: string[] }>();
    const check = (image: string, origin: Origin, env?: string, majorOnlyMoves = false) => {
      const { tag, digest } = splitImage(image);
      let problem: string | undefined;
      if (!tag && !digest) problem = `image "${image}" has no tag`;
      else if (tag && !digest && moving.has(tag)) problem = `image "${image}" uses the moving tag "${tag}"`;
      else if (tag && !digest && majorOnlyMoves && MAJOR_ONLY.test(tag)) problem = `image "${image}" names a major version only, which moves with every minor release`;
      if (!problem) return;
      const range: Range = origin.doc.locate(origin.path);
      const key = `${origin.file}:${range.line}:${range.column}`;
      const known = problems.get(key) ?? { file: origin.file, range, problem, environments: [] };
      if (env && !known.environments.includes(env)) known.environments.push(env);
      problems.set(key, known);
    };
    for (const { file, doc } of context.documents()) {
      context.tick(file.path);
      if (file.kind === 'kustomization') {
        const images = isPlainObject(doc.value) && Array.isArray(doc.value.images) ? doc.value.images : [];
        images.forEach((entry, index) => {
          if (isPlainObject(entry) && entry.newTag !== undefined && moving.has(String(entry.newTag)) && entry.digest === undefined) {
            check(`${String(entry.newName ?? entry.name)}:${String(entry.newTag)}`, { file: file.path, doc, path: ['images', index, 'newTag'] });
          }
        });
        continue;
      }
      if (context.kustomize.isPatch(file.path)) continue;
      const identity = isPlainObject(doc.value) ? { apiVersion: String(doc.value.apiVersion ?? ''), kind: String(doc.value.kind ?? '') } : undefined;
      const imageName = isPlainObject(doc.value) && isPlainObject(doc.value.spec) ? doc.value.spec.imageName : undefined;
      if (identity && isDatabaseCluster(identity) && typeof imageName === 'string') {
        check(imageName, { file: file.path, doc, path: ['spec', 'imageName'] }, undefined, true);
      }
      const environments = context.kustomize.environmentsOf(file.path);
      for (const container of containersOf(doc.value)) {
        if (typeof container.value.image !== 'string') continue;
        const key = container.path.join('.');
        if (environments.length === 0) {
          check(container.value.image, { file: file.path, doc, path: [...container.path, 'image'] });
          continue;
        }
        for (const env of environments) {
          const built = context.kustomize.build(env).find((resource) => resource.file === file && resource.doc === doc);
          const setting = built?.images.get(key);
          if (setting) check(setting.image, setting.tagOrigin, env);
          else check(container.value.image, { file: file.path, doc, path: [...container.path, 'image'] }, env);
        }
      }
    }
    for (const { file, range, problem, environments } of problems.values()) {
      const where = environments.length ? ` in ${environments.join(', ')}` : '';
      context.report(file, range, `${problem}${where}: pin a version or a digest`);
    }
  },
};
