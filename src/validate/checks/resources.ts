/**
 * resource-schema: every Kubernetes resource under deploy/ against its kind's schema (the catalog of
 * resource-catalog.ts; a `kind: List` item by item), every patch as what it is (a strategic-merge patch:
 * only what it writes must be right; a JSON 6902 patch: a list of operations), every kustomization
 * against ours, and the Backstage entities of catalog-info.yaml against ours.
 */
import type { ErrorObject } from 'ajv';
import { kustomizeView, resourcesOf } from '../../policy/kustomize.js';
import { describeFromSchema, ownValidator, type OwnSchema } from '../own-schemas.js';
import { problem, type Problem } from '../problem.js';
import { judgeResource } from '../resource-catalog.js';
import { fieldName, schemaErrorProblems } from '../schema-errors.js';
import type { NodePath, RepositoryFile, RepositoryModel, YamlDocument } from '../types.js';
import type { Settings } from '../../settings/settings.js';

export const RESOURCE_SCHEMA = 'resource-schema';

export async function checkResources(model: RepositoryModel): Promise<Problem[]> {
  const problems: Problem[] = [];
  const view = kustomizeView(model);
  for (const file of model.files) {
    if (file.kind === 'kubernetes') {
      const patch = view.patchKind(file.path);
      if (patch === 'json6902') {
        for (const document of file.documents) problems.push(...checkJsonPatch(file, document));
        continue;
      }
      for (const { doc, value, path } of resourcesOf(file)) problems.push(...(await checkResource(model.settings, file, doc, value, path, patch !== undefined)));
    } else if (file.kind === 'kustomization') {
      for (const document of file.documents) problems.push(...checkOwn('kustomization', file, document));
    } else if (file.kind === 'catalog') {
      for (const document of file.documents) problems.push(...checkOwn('catalog', file, document));
    }
  }
  return problems;
}

async function checkResource(settings: Settings, file: RepositoryFile, document: YamlDocument, resource: unknown, base: NodePath, isPatch: boolean): Promise<Problem[]> {
  // An empty document (`---` with nothing, or only comments, or `~`) is no resource.
  if (resource === null || resource === undefined) return [];
  if (typeof resource !== 'object' || Array.isArray(resource)) {
    return [problem(RESOURCE_SCHEMA, file.path, document.locate(base), 'is not a Kubernetes resource: expected a map with apiVersion and kind')];
  }
  const { apiVersion, kind } = resource as Record<string, unknown>;
  const missing = [typeof apiVersion !== 'string' && 'apiVersion', typeof kind !== 'string' && 'kind'].filter(Boolean);
  if (missing.length > 0) {
    return missing.map((field) => problem(RESOURCE_SCHEMA, file.path, document.locate([...base, field as string]), `${base.length ? 'list item' : 'document'}: missing required field "${String(field)}"`));
  }
  // `apiVersion: builtin` is the configuration of one of kustomize's own plugins (an ImageTagTransformer
  // listed under `transformers:`): kustomize reads it, the cluster never sees it.
  if (apiVersion === 'builtin') return [];
  const what = `${String(apiVersion)} ${String(kind)}`;
  const verdict = await judgeResource(settings, resource as Record<string, unknown>);
  const at = (field: string) => document.locate([...base, field]);
  switch (verdict.kind) {
    case 'skipped':
      return [];
    case 'unknown':
      return [problem(RESOURCE_SCHEMA, file.path, at('kind'), `${what} has no schema in the catalog, so nothing checked it: add its CRD or JSON schema to kubernetes.schemas in the organization settings, or list it in kubernetes.skipKinds`)];
    case 'not-a-kind': {
      const served = verdict.served.length > 0 ? ` (served versions: ${verdict.served.join(', ')})` : '';
      return [problem(RESOURCE_SCHEMA, file.path, at('kind'), `${what} is not a Kubernetes kind${served}`)];
    }
    case 'unserved': {
      const served = verdict.served.length > 0 ? `; use ${verdict.served.join(' or ')}` : '';
      return [problem(RESOURCE_SCHEMA, file.path, at('apiVersion'), `${what} is not served by the kind's CustomResourceDefinition: a cluster refuses it${served}`)];
    }
    case 'checked':
      return schemaErrorProblems(verdict.errors, {
        policy: RESOURCE_SCHEMA,
        file: file.path,
        document,
        value: resource,
        base,
        describe: verdict.own ? describeOwn : undefined,
        // A strategic-merge patch is a partial resource by design: only what it writes must be right.
        skip: isPatch ? (error) => error.keyword === 'required' : undefined,
      });
  }
}

const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/** A JSON 6902 patch: a list of operations, each with the fields its op needs. */
function checkJsonPatch(file: RepositoryFile, document: YamlDocument): Problem[] {
  const ops = document.value;
  if (ops === null || ops === undefined) return [];
  if (!Array.isArray(ops)) return [problem(RESOURCE_SCHEMA, file.path, document.locate([]), 'is a JSON 6902 patch: expected a list of operations (op, path, value)')];
  const problems: Problem[] = [];
  ops.forEach((op, index) => {
    const report = (path: NodePath, message: string) => problems.push(problem(RESOURCE_SCHEMA, file.path, document.locate([index, ...path]), `operation ${index + 1}: ${message}`));
    if (typeof op !== 'object' || op === null || Array.isArray(op)) return report([], 'expected a map with op and path');
    const { op: name, path, from } = op as Record<string, unknown>;
    if (typeof name !== 'string' || !OPS.includes(name)) return report(typeof name === 'string' ? ['op'] : [], `op must be one of ${OPS.join(', ')}`);
    if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) report(typeof path === 'string' ? ['path'] : [], 'path must be a JSON pointer (/spec/replicas)');
    if (['add', 'replace', 'test'].includes(name) && !('value' in (op as object))) report([], `missing "value" (${name} sets one)`);
    if (['move', 'copy'].includes(name) && typeof from !== 'string') report([], `missing "from" (${name} reads one)`);
    return undefined;
  });
  return problems;
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
