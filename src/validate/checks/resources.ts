/**
 * resource-schema: every Kubernetes resource under deploy/ against its kind's schema, every
 * kustomization against ours, and the Backstage entities of catalog-info.yaml against ours.
 */
import { posix } from 'node:path';
import type { ErrorObject } from 'ajv';
import { lookupKind } from '../kubernetes-kinds.js';
import { describeFromSchema, ownValidator, type OwnSchema } from '../own-schemas.js';
import { problem, type Problem } from '../problem.js';
import { fieldName, schemaErrorProblems } from '../schema-errors.js';
import type { NodePath, RepositoryFile, RepositoryModel, YamlDocument } from '../types.js';

export const RESOURCE_SCHEMA = 'resource-schema';

export async function checkResources(model: RepositoryModel): Promise<Problem[]> {
  const problems: Problem[] = [];
  const patches = patchFiles(model);
  for (const file of model.files) {
    if (file.kind === 'kubernetes') {
      for (const document of file.documents) problems.push(...(await checkResource(file, document, patches.has(file.path))));
    } else if (file.kind === 'kustomization') {
      for (const document of file.documents) problems.push(...checkOwn('kustomization', file, document));
    } else if (file.kind === 'catalog') {
      for (const document of file.documents) problems.push(...checkOwn('catalog', file, document));
    }
  }
  return problems;
}

async function checkResource(file: RepositoryFile, document: YamlDocument, isPatch: boolean): Promise<Problem[]> {
  const resource = document.value;
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [problem(RESOURCE_SCHEMA, file.path, document.locate([]), 'is not a Kubernetes resource: expected a map with apiVersion and kind')];
  }
  const { apiVersion, kind } = resource as Record<string, unknown>;
  const missing = [typeof apiVersion !== 'string' && 'apiVersion', typeof kind !== 'string' && 'kind'].filter(Boolean);
  if (missing.length > 0) {
    return missing.map((field) => problem(RESOURCE_SCHEMA, file.path, document.locate([field as string]), `document: missing required field "${String(field)}"`));
  }
  const lookup = await lookupKind(apiVersion as string, kind as string);
  if (lookup.kind === 'unchecked') return [];
  if (lookup.kind === 'unknown-kind') {
    const served = lookup.known.length > 0 ? ` (served versions: ${lookup.known.join(', ')})` : '';
    return [problem(RESOURCE_SCHEMA, file.path, document.locate(['kind']), `${String(apiVersion)} ${String(kind)} is not a Kubernetes kind${served}`)];
  }
  const errors = lookup.validator.validate(resource as Record<string, unknown>);
  return schemaErrorProblems(errors, {
    policy: RESOURCE_SCHEMA,
    file: file.path,
    document,
    value: resource,
    describe: lookup.validator.own ? describeOwn : undefined,
    // A strategic-merge patch is a partial resource by design: only what it writes must be right.
    skip: isPatch ? (error) => error.keyword === 'required' : undefined,
  });
}

function checkOwn(schema: OwnSchema, file: RepositoryFile, document: YamlDocument): Problem[] {
  const validate = ownValidator(schema);
  if (validate(document.value)) return [];
  return schemaErrorProblems(validate.errors, { policy: RESOURCE_SCHEMA, file: file.path, document, value: document.value, describe: describeOwn });
}

/** Our schemas' descriptions, where they say it better than ajv, after the field's name. */
export function describeOwn(error: ErrorObject, path: NodePath): string | undefined {
  const text = describeFromSchema(error);
  return text === undefined ? undefined : `${fieldName(path)}: ${text}`;
}

/** Files that kustomizations under deploy/ use as patches (strategic merge: partial resources). */
function patchFiles(model: RepositoryModel): Set<string> {
  const found = new Set<string>();
  for (const file of model.files) {
    if (file.kind !== 'kustomization') continue;
    const dir = posix.dirname(file.path);
    for (const document of file.documents) {
      const value = document.value as Record<string, unknown> | null;
      if (typeof value !== 'object' || value === null) continue;
      const paths: unknown[] = [];
      if (Array.isArray(value.patches)) paths.push(...value.patches.map((patch) => (patch as { path?: unknown } | null)?.path));
      if (Array.isArray(value.patchesStrategicMerge)) paths.push(...(value.patchesStrategicMerge as unknown[]));
      for (const path of paths) {
        if (typeof path === 'string' && !path.includes('\n')) found.add(posix.normalize(posix.join(dir, path)));
      }
    }
  }
  return found;
}
