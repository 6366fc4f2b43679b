/**
 * Third-party checks of a generated repository's GitOps deployment, reusable by any test that has a
 * repository folder: `kubectl kustomize` builds every overlay for real, and every resource is checked
 * against its upstream schema: custom resources against the upstream CRDs in third-party `crds/`
 * through src/core/crds.ts (a version the CRD does not serve is a problem), core kinds against
 * kubernetes-models, and SchemaStore's kustomization and Backstage catalog schemas. Nothing here knows how the files were
 * rendered: the expectations are read from the repository's own platform.yaml and the settings.
 *
 * Every problem is one line, `<file>: <message>`, so `expect(problems).toEqual([])` shows all of them.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { loadCrds, type CrdCatalog } from '../../src/core/crds.js';
import { thirdParty } from './third-party.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';

export type K8sObject = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; spec?: any; [key: string]: any };

export interface DeployCheck {
  /** `<file>: <message>` for every build failure and schema error; empty when all is well. */
  problems: string[];
  /** The resources each environment's overlay builds to. */
  overlays: Map<string, K8sObject[]>;
  /** The Argo CD Application of each environment, from deploy/argocd/<env>.yaml. */
  applications: Map<string, K8sObject>;
  /** The entities of catalog-info.yaml. */
  catalog: K8sObject[];
}

/** Build every overlay under deploy/overlays and check everything the deployment consists of. */
export async function checkDeployment(repoDir: string): Promise<DeployCheck> {
  const problems: string[] = [];
  const overlays = new Map<string, K8sObject[]>();
  const overlayDir = join(repoDir, 'deploy', 'overlays');
  const envs = existsSync(overlayDir) ? readdirSync(overlayDir).sort() : [];
  if (envs.length === 0) problems.push('deploy/overlays: no overlay');
  const kustomizations = ['deploy/base/kustomization.yaml', ...envs.map((env) => `deploy/overlays/${env}/kustomization.yaml`)];
  for (const file of kustomizations) problems.push(...schemaProblems(repoDir, file, schemaValidator('kustomization.json')));
  await Promise.all(envs.map(async (env) => {
    const where = `deploy/overlays/${env}`;
    try {
      const resources = await cachedBuild(repoDir, env);
      overlays.set(env, resources);
      for (const resource of resources) {
        for (const message of await resourceProblems(resource)) problems.push(`${sourceOf(repoDir, where, resource) ?? where} (built by ${where}): ${describe(resource)}: ${message}`);
      }
    } catch (error) {
      problems.push(`${where}: kubectl kustomize failed: ${(error as Error).message}`);
    }
  }));
  const applications = new Map<string, K8sObject>();
  const argocdDir = join(repoDir, 'deploy', 'argocd');
  for (const file of existsSync(argocdDir) ? readdirSync(argocdDir).sort() : []) {
    const path = `deploy/argocd/${file}`;
    const documents = readDocuments(repoDir, path, problems);
    if (documents.length !== 1) problems.push(`${path}: expected one Application, found ${documents.length} documents`);
    for (const application of documents) {
      for (const message of await resourceProblems(application)) problems.push(`${path}: ${describe(application)}: ${message}`);
      applications.set(file.replace(/\.yaml$/, ''), application);
    }
  }
  const catalog = readDocuments(repoDir, 'catalog-info.yaml', problems);
  const validateEntity = schemaValidator('catalog-info.json');
  for (const entity of catalog) {
    if (!validateEntity(entity)) problems.push(`catalog-info.yaml: ${describe(entity)}: ${errorText(validateEntity.errors)}`);
  }
  const sortedOverlays = new Map([...overlays].sort(([a], [b]) => (a < b ? -1 : 1)));
  return { problems: problems.sort(), overlays: sortedOverlays, applications, catalog };
}

/** `kubectl kustomize DIR`, parsed. Rejects with kubectl's own message when the build fails. */
export async function kustomizeBuild(dir: string): Promise<K8sObject[]> {
  const { stdout } = await limited(() => run(KUBECTL, ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 })).catch((error: { stderr?: string; message: string }) => {
    throw new Error((error.stderr || error.message).trim().split('\n').join(' | '));
  });
  return parseAllDocuments(stdout).map((document) => document.toJS() as K8sObject).filter(Boolean);
}

/**
 * Deploy trees that are byte-for-byte the same build to the same resources (the matrix's runtimes differ
 * only in their app files), so each distinct tree is built once per environment.
 */
const builds = new Map<string, Promise<K8sObject[]>>();
function cachedBuild(repoDir: string, env: string): Promise<K8sObject[]> {
  const hash = createHash('sha256');
  for (const path of filesUnder(repoDir, 'deploy')) hash.update(`${path}\0${readFileSync(join(repoDir, path), 'utf8')}\0`);
  const key = `${hash.digest('hex')} ${env}`;
  if (!builds.has(key)) builds.set(key, kustomizeBuild(join(repoDir, 'deploy', 'overlays', env)));
  return builds.get(key)!;
}

/**
 * What the resource's upstream schema says is wrong with it: a custom resource against its upstream CRD,
 * refused when the CRD no longer serves its version; a core kind against kubernetes-models. A kind with
 * no known schema is a problem too.
 */
export async function resourceProblems(resource: K8sObject): Promise<string[]> {
  const { apiVersion, kind } = resource;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['no apiVersion or kind'];
  const crds = upstreamCrds();
  if (crds.defines(apiVersion, kind)) {
    const verdict = crds.validate(resource);
    if (verdict.unserved) return [`${apiVersion} is not served by the upstream ${kind} CRD: a cluster refuses it`];
    return verdict.errors.length ? [errorText(verdict.errors)] : [];
  }
  const Model = await modelFor(apiVersion, kind);
  if (!Model) return [`no upstream schema known for ${apiVersion} ${kind}`];
  try {
    new Model(resource).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

// --- upstream schemas ---

let catalog: CrdCatalog | undefined;
/** Every CRD of third-party `crds/` (External Secrets, CloudNativePG, Barman Cloud, Argo CD), loaded once. */
export function upstreamCrds(): CrdCatalog {
  catalog ??= loadCrds([thirdParty('crds')]);
  return catalog;
}

type ModelClass = new (data: object) => { validate(): void };
const MODEL_PACKAGES = ['kubernetes-models'];
const models = new Map<string, Promise<ModelClass | undefined>>();

/** The generated model class of a kind: `apps/v1` Deployment is `kubernetes-models/apps/v1`'s `Deployment`. */
function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion} ${kind}`;
  if (!models.has(key)) {
    models.set(key, (async () => {
      for (const pkg of MODEL_PACKAGES) {
        const module = (await import(`${pkg}/${apiVersion}`).catch(() => undefined)) as Record<string, unknown> | undefined;
        const Model = module?.[kind] as (ModelClass & { apiVersion?: string }) | undefined;
        if (Model?.apiVersion === apiVersion) return Model;
      }
      return undefined;
    })());
  }
  return models.get(key)!;
}

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsPlugin as unknown as { default?: FormatsPlugin }).default ?? addFormatsPlugin) as FormatsPlugin;
const validators = new Map<string, ValidateFunction>();

/** A draft-07 schema of the third-party schemas (test/helpers/third-party.ts), compiled once. */
export function schemaValidator(file: string): ValidateFunction {
  let validate = validators.get(file);
  if (!validate) {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    validate = ajv.compile(JSON.parse(readFileSync(thirdParty('schemas', file), 'utf8')) as object);
    validators.set(file, validate);
  }
  return validate;
}

function schemaProblems(repoDir: string, file: string, validate: ValidateFunction): string[] {
  const problems: string[] = [];
  if (!existsSync(join(repoDir, file))) return [`${file}: missing`];
  for (const document of readDocuments(repoDir, file, problems)) {
    if (!validate(document)) problems.push(`${file}: ${errorText(validate.errors)}`);
  }
  return problems;
}

function errorText(errors: ErrorObject[] | null | undefined): string {
  const lines = [...new Set((errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`))];
  return lines.slice(0, 6).join('; ') + (lines.length > 6 ? `; and ${lines.length - 6} more` : '');
}

// --- files ---

function readDocuments(repoDir: string, file: string, problems: string[]): K8sObject[] {
  const full = join(repoDir, file);
  if (!existsSync(full)) {
    problems.push(`${file}: missing`);
    return [];
  }
  const documents = parseAllDocuments(readFileSync(full, 'utf8'), { uniqueKeys: true });
  const objects: K8sObject[] = [];
  for (const document of documents) {
    for (const error of document.errors) problems.push(`${file}: ${error.message.split('\n')[0]}`);
    if (document.errors.length === 0 && document.contents !== null) objects.push(document.toJS() as K8sObject);
  }
  return objects;
}

/**
 * The file that declares a built resource (by kind and name), so that a schema error names it: the
 * overlay's own files first, then the rest of deploy/ (the base).
 */
function sourceOf(repoDir: string, overlay: string, resource: K8sObject): string | undefined {
  const files = filesUnder(repoDir, 'deploy').filter((path) => path.endsWith('.yaml') && !path.endsWith('/kustomization.yaml'));
  const ordered = [...files.filter((path) => path.startsWith(`${overlay}/`)), ...files.filter((path) => !path.startsWith('deploy/overlays/'))];
  return ordered.find((path) => {
    try {
      return parseAllDocuments(readFileSync(join(repoDir, path), 'utf8')).some((document) => {
        const object = document.toJS() as K8sObject | null;
        return object?.kind === resource.kind && object?.metadata?.name === resource.metadata?.name;
      });
    } catch {
      return false;
    }
  });
}

/** Every file below `dir` of the repository, as sorted '/'-separated relative paths. */
function filesUnder(repoDir: string, dir: string): string[] {
  return readdirSync(join(repoDir, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(repoDir, path) : [path];
  }).sort();
}

export function describe(resource: K8sObject): string {
  return `${resource.kind ?? '(no kind)'} ${resource.metadata?.name ?? '(no name)'}`;
}

/** kubectl builds run a few at a time: the machine has 2 cores. */
const MAX_BUILDS = 3;
let running = 0;
const waiting: Array<() => void> = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_BUILDS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await task();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}
