/**
 * resource-schema: every Kubernetes resource under deploy/ against its kind's schema (the catalog of
 * resource-catalog.ts; a `kind: List` item by item), every kustomization against ours, and the Backstage
 * entities of catalog-info.yaml against ours.
 *
 * A resource an overlay deploys is judged as each environment's overlay builds it (kustomize.ts): the
 * values its patches write (strategic merge, JSON 6902, inline or in files) and its transforms set, each
 * error at the node that wrote the failing value, once however many environments it reaches (naming
 * them when only some of the environments that read that file get it). What no overlay deploys is
 * judged as written: a resource, a patch as what it is (a strategic-merge patch: only what it writes must
 * be right), and every JSON 6902 patch file as a list of operations.
 */
import type { ErrorObject } from 'ajv';
import { kustomizeView, resourcesOf, type BuiltResource, type KustomizeView } from '../../policy/kustomize.js';
import { isPlainObject } from '../../policy/select.js';
import { identityOf } from '../../policy/workloads.js';
import { describeFromSchema, ownValidator, type OwnSchema } from '../own-schemas.js';
import { problem, type Problem } from '../problem.js';
import { judgeResource } from '../resource-catalog.js';
import { fieldName, schemaErrorProblems, type Placement } from '../schema-errors.js';
import type { NodePath, RepositoryFile, RepositoryModel, YamlDocument } from '../types.js';
import type { Settings } from '../../settings/settings.js';

export const RESOURCE_SCHEMA = 'resource-schema';

/** A resource to judge, and where a finding about one of its nodes goes. */
interface Judged {
  file: string;
  document: YamlDocument;
  value: unknown;
  place: (path: NodePath, key?: string) => Placement;
  /** An item of a `kind: List`, not a whole document (for the messages). */
  inList: boolean;
  /** A strategic-merge patch as written: a partial resource. */
  isPatch: boolean;
}

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
      const deployed = view.deployedBy(file.path).length > 0;
      for (const { doc, value, path } of resourcesOf(file)) {
        // Judged as built, below: a resource an overlay reads, a patch that changes one of its resources.
        if (deployed && (patch ? view.patchApplies(doc) : identityOf(value) !== undefined)) continue;
        problems.push(...(await checkResource(model.settings, asWritten(file, doc, value, path, patch !== undefined))));
      }
    } else if (file.kind === 'kustomization') {
      for (const document of file.documents) problems.push(...checkOwn('kustomization', file, document));
    } else if (file.kind === 'catalog') {
      for (const document of file.documents) problems.push(...checkOwn('catalog', file, document));
    }
  }
  problems.push(...(await checkBuilt(model.settings, view, problems)));
  return problems;
}

/** A document (or `kind: List` item) as the file holds it. */
function asWritten(file: RepositoryFile, document: YamlDocument, value: unknown, base: NodePath, isPatch: boolean): Judged {
  const place = (path: NodePath, key?: string): Placement => {
    const at = [...base, ...path];
    return { file: file.path, range: (key === undefined ? undefined : document.locateKey?.([...at, key])) ?? document.locate(at), field: at };
  };
  return { file: file.path, document, value, place, inList: base.length > 0, isPatch };
}

/**
 * A resource as an environment's overlay builds it. A finding goes where the failing value was written,
 * and names the field as that file does: the base's own path (a `kind: List` item's included), a
 * strategic-merge patch's; a value a JSON 6902 operation or a kustomization field wrote, by the
 * resource's path.
 */
function asBuilt(resource: BuiltResource): Judged {
  const root = resource.origin([]);
  const base = root.doc === resource.doc ? root.path : [];
  const place = (path: NodePath, key?: string): Placement => {
    const origin = resource.origin(key === undefined ? path : [...path, key]);
    const range = (key === undefined ? undefined : origin.doc.locateKey?.(origin.path)) ?? origin.doc.locate(origin.path);
    const resourceShaped = origin.doc === resource.doc || (isPlainObject(origin.doc.value) && origin.doc.value.kind === resource.identity.kind);
    const field = resourceShaped ? (key === undefined ? origin.path : origin.path.slice(0, -1)) : [...base, ...path];
    return { file: origin.file, range, field };
  };
  return { file: resource.file.path, document: resource.doc, value: resource.value, place, inList: base.length > 0, isPatch: false };
}

/**
 * Every resource each overlay builds. One finding per node and message, naming the environments when
 * only some of those that read its file get it (a base value one overlay's patch fixes and another's
 * does not). A node the file pass already reported (a kustomization field its own schema refuses) is
 * not reported again for what it wrote.
 */
async function checkBuilt(settings: Settings, view: KustomizeView, written: readonly Problem[]): Promise<Problem[]> {
  const found = new Map<string, { problem: Problem; environments: string[] }>();
  for (const env of view.environments) {
    for (const resource of view.build(env)) {
      if (resource.file.kind !== 'kubernetes') continue;
      for (const item of await checkResource(settings, asBuilt(resource))) {
        const key = `${item.file}:${item.line}:${item.column}:${item.message}`;
        const known = found.get(key) ?? { problem: item, environments: [] };
        if (!known.environments.includes(env)) known.environments.push(env);
        found.set(key, known);
      }
    }
  }
  const reported = new Set(written.map((item) => `${item.file}:${item.line}:${item.column}`));
  const problems: Problem[] = [];
  for (const { problem: item, environments } of found.values()) {
    if (reported.has(`${item.file}:${item.line}:${item.column}`)) continue;
    const some = view.deployedBy(item.file).some((env) => !environments.includes(env));
    problems.push(some ? problem(RESOURCE_SCHEMA, item.file, item, `${item.message} (in ${environments.join(', ')})`) : item);
  }
  return problems;
}

async function checkResource(settings: Settings, judged: Judged): Promise<Problem[]> {
  const { value: resource, place } = judged;
  // An empty document (`---` with nothing, or only comments, or `~`) is no resource.
  if (resource === null || resource === undefined) return [];
  if (typeof resource !== 'object' || Array.isArray(resource)) {
    const where = place([]);
    return [problem(RESOURCE_SCHEMA, where.file, where.range, 'is not a Kubernetes resource: expected a map with apiVersion and kind')];
  }
  const { apiVersion, kind } = resource as Record<string, unknown>;
  const missing = [typeof apiVersion !== 'string' && 'apiVersion', typeof kind !== 'string' && 'kind'].filter((field): field is string => !!field);
  if (missing.length > 0) {
    return missing.map((field) => {
      const where = place([field]);
      return problem(RESOURCE_SCHEMA, where.file, where.range, `${judged.inList ? 'list item' : 'document'}: missing required field "${field}"`);
    });
  }
  // `apiVersion: builtin` is the configuration of one of kustomize's own plugins (an ImageTagTransformer
  // listed under `transformers:`): kustomize reads it, the cluster never sees it.
  if (apiVersion === 'builtin') return [];
  const what = `${String(apiVersion)} ${String(kind)}`;
  const verdict = await judgeResource(settings, resource as Record<string, unknown>);
  const report = (field: string, message: string) => {
    const where = place([field]);
    return [problem(RESOURCE_SCHEMA, where.file, where.range, message)];
  };
  switch (verdict.kind) {
    case 'skipped':
      return [];
    case 'unknown':
      return report('kind', `${what} has no schema in the catalog, so nothing checked it: add its CRD or JSON schema to kubernetes.schemas in the organization settings, or list it in kubernetes.skipKinds`);
    case 'not-a-kind': {
      const served = verdict.served.length > 0 ? ` (served versions: ${verdict.served.join(', ')})` : '';
      const nearest = verdict.nearest ? `: did you mean ${verdict.nearest}?` : '';
      return report('kind', `${what} is not a Kubernetes kind${served}${nearest}`);
    }
    case 'unserved': {
      const served = verdict.served.length > 0 ? `; use ${verdict.served.join(' or ')}` : '';
      return report('apiVersion', `${what} is not served by the kind's CustomResourceDefinition: a cluster refuses it${served}`);
    }
    case 'checked':
      return schemaErrorProblems(verdict.errors, {
        policy: RESOURCE_SCHEMA,
        file: judged.file,
        document: judged.document,
        value: resource,
        place,
        describe: verdict.own ? describeOwn : undefined,
        // A strategic-merge patch is a partial resource by design: only what it writes must be right.
        skip: judged.isPatch ? (error) => error.keyword === 'required' : undefined,
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
